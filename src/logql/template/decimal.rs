//! Sprig's `addf`/`subf`/`mulf`/`divf` work on exact decimals (each float taken at its shortest
//! decimal form, a quotient rounded to 16 decimal places), then back to the nearest float:
//! `mulf 2488.7 1.5` is `3733.05`, not `3733.0499999999997` (checked against Loki 65e30f8).

/// A decimal `m × 10^-scale`.
#[derive(Debug, Clone, Copy)]
struct Dec {
    m: i128,
    scale: u32,
}

/// Digits a quotient keeps after the point (shopspring/decimal's `DivisionPrecision`).
const DIV_PLACES: u32 = 16;

fn from_f64(x: f64) -> Option<Dec> {
    if !x.is_finite() {
        return None;
    }
    // Rust prints the shortest form that reads back as `x`, without an exponent.
    let text = format!("{x}");
    let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
    let scale = u32::try_from(frac.len()).ok()?;
    let m: i128 = format!("{int}{frac}").parse().ok()?;
    Some(Dec { m, scale })
}

fn pow10(n: u32) -> Option<i128> {
    10i128.checked_pow(n)
}

fn to_f64(d: Dec) -> f64 {
    let neg = d.m < 0;
    let digits = d.m.unsigned_abs().to_string();
    let scale = d.scale as usize;
    let text = if digits.len() > scale {
        let (a, b) = digits.split_at(digits.len() - scale);
        format!("{a}.{b}")
    } else {
        format!("0.{}{digits}", "0".repeat(scale - digits.len()))
    };
    let v: f64 = text.trim_end_matches('.').parse().unwrap_or(f64::NAN);
    if neg { -v } else { v }
}

fn align(a: Dec, b: Dec) -> Option<(i128, i128, u32)> {
    let scale = a.scale.max(b.scale);
    let am = a.m.checked_mul(pow10(scale - a.scale)?)?;
    let bm = b.m.checked_mul(pow10(scale - b.scale)?)?;
    Some((am, bm, scale))
}

fn op(name: &str, a: Dec, b: Dec) -> Option<Dec> {
    match name {
        "addf" | "subf" => {
            let (am, bm, scale) = align(a, b)?;
            let m = if name == "addf" {
                am.checked_add(bm)?
            } else {
                am.checked_sub(bm)?
            };
            Some(Dec { m, scale })
        }
        "mulf" => Some(Dec {
            m: a.m.checked_mul(b.m)?,
            scale: a.scale.checked_add(b.scale)?,
        }),
        _ => {
            // a/b = (a.m / b.m) × 10^(b.scale - a.scale), kept to DIV_PLACES places, half away
            // from zero.
            if b.m == 0 {
                return None;
            }
            let shift = i64::from(DIV_PLACES) + i64::from(b.scale) - i64::from(a.scale);
            let (num, den) = if shift >= 0 {
                (a.m.checked_mul(pow10(u32::try_from(shift).ok()?)?)?, b.m)
            } else {
                (a.m, b.m.checked_mul(pow10(u32::try_from(-shift).ok()?)?)?)
            };
            let q = num / den;
            let r = num % den;
            let up = r.unsigned_abs().checked_mul(2)? >= den.unsigned_abs();
            let m = if up {
                if (num < 0) != (den < 0) { q - 1 } else { q + 1 }
            } else {
                q
            };
            Some(Dec {
                m,
                scale: DIV_PLACES,
            })
        }
    }
}

/// Folds `xs` with a decimal operation; `None` when a value is not finite or a step overflows
/// (the caller then uses plain floats).
pub fn fold(name: &str, xs: &[f64]) -> Option<f64> {
    let mut it = xs.iter();
    let mut acc = from_f64(*it.next().unwrap_or(&0.0))?;
    for &x in it {
        acc = op(name, acc, from_f64(x)?)?;
    }
    Some(to_f64(acc))
}

#[cfg(test)]
mod tests {
    use super::fold;

    #[test]
    fn exact_decimals_as_loki() {
        // Loki 65e30f8 on the conformance data (db.slow_query duration_ms 2488.7).
        assert_eq!(fold("mulf", &[2488.7, 1.5]), Some(3733.05));
        assert_eq!(fold("divf", &[2488.7, 3.0]), Some(829.5666666666667));
        assert_eq!(fold("addf", &[0.1, 0.2]), Some(0.3));
        assert_eq!(fold("subf", &[0.3, 0.1]), Some(0.2));
        assert_eq!(fold("divf", &[-1.0, 3.0]), Some(-0.3333333333333333));
        assert_eq!(fold("divf", &[2.0, 3.0]), Some(0.6666666666666667));
        assert_eq!(fold("divf", &[1.0, 0.0]), None);
        assert_eq!(fold("mulf", &[1e300, 1e300]), None);
    }
}
