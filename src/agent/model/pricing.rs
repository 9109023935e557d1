//! LLM prices, to estimate the cost of runs that never logged one (`assets/pricing.toml`,
//! overridable per model in the config file's `[pricing."model"]` tables).

use std::collections::BTreeMap;

/// USD per million tokens.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Price {
    pub input: f64,
    pub output: f64,
}

/// Prices per model name.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PriceTable {
    models: BTreeMap<String, Price>,
}

/// The price table cannot be read; names the model and what is wrong.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error(
    "price table: {0} (expected e.g. [pricing.\"claude-haiku-4-5\"] input = 1.0, output = 5.0)"
)]
pub struct PricingError(pub String);

const BUNDLED: &str = include_str!("../../../assets/pricing.toml");

fn price_of(model: &str, v: &toml::Value) -> Result<Price, PricingError> {
    let num = |key: &str| -> Result<f64, PricingError> {
        match v.get(key) {
            Some(toml::Value::Float(f)) => Ok(*f),
            Some(toml::Value::Integer(i)) => Ok(*i as f64),
            Some(_) => Err(PricingError(format!("{model}: `{key}` is not a number"))),
            None => Err(PricingError(format!("{model}: `{key}` is missing"))),
        }
    };
    Ok(Price {
        input: num("input")?,
        output: num("output")?,
    })
}

impl PriceTable {
    /// The table shipped in `assets/pricing.toml`.
    pub fn bundled() -> Self {
        // The bundled file is tested below; an unreadable one degrades to "no estimate".
        Self::parse(BUNDLED).unwrap_or_default()
    }

    /// Parses a table of the `assets/pricing.toml` form (`[models."name"]`).
    pub fn parse(text: &str) -> Result<Self, PricingError> {
        let doc: toml::Table = text.parse().map_err(|e| PricingError(format!("{e}")))?;
        let mut table = PriceTable::default();
        if let Some(models) = doc.get("models").and_then(toml::Value::as_table) {
            for (name, v) in models {
                table.models.insert(name.clone(), price_of(name, v)?);
            }
        }
        Ok(table)
    }

    /// Applies the config file's `pricing` overrides (model → `{input, output}`).
    pub fn with_overrides(
        mut self,
        overrides: &BTreeMap<String, toml::Value>,
    ) -> Result<Self, PricingError> {
        for (name, v) in overrides {
            self.models.insert(name.clone(), price_of(name, v)?);
        }
        Ok(self)
    }

    /// The price of a model: exact name, else the longest known name it starts with.
    pub fn get(&self, model: &str) -> Option<Price> {
        if let Some(p) = self.models.get(model) {
            return Some(*p);
        }
        self.models
            .iter()
            .filter(|(name, _)| model.starts_with(name.as_str()))
            .max_by_key(|(name, _)| name.len())
            .map(|(_, p)| *p)
    }

    /// Estimated USD cost of the tokens, when the model's price is known.
    pub fn estimate(&self, model: &str, input_tokens: u64, output_tokens: u64) -> Option<f64> {
        self.get(model).map(|p| {
            (input_tokens as f64 * p.input + output_tokens as f64 * p.output) / 1_000_000.0
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_table_parses_and_matches_prefixes() {
        let t = PriceTable::parse(BUNDLED).unwrap();
        let haiku = t.get("claude-haiku-4-5").unwrap();
        assert_eq!(t.get("claude-haiku-4-5-20251001"), Some(haiku));
        assert!(t.get("unknown-model").is_none());
        // gpt-4o-mini must not fall back to gpt-4o's price.
        assert_ne!(t.get("gpt-4o-mini-2024"), t.get("gpt-4o"));
    }

    #[test]
    fn overrides_replace_and_add() {
        let mut o = BTreeMap::new();
        let v: toml::Value = toml::from_str::<toml::Table>("input = 2\noutput = 4.5")
            .unwrap()
            .into();
        o.insert("my-model".to_string(), v);
        let t = PriceTable::bundled().with_overrides(&o).unwrap();
        assert_eq!(t.estimate("my-model", 1_000_000, 2_000_000), Some(11.0));
    }

    #[test]
    fn broken_override_is_an_error_naming_the_model() {
        let mut o = BTreeMap::new();
        o.insert("m".to_string(), toml::Value::String("cheap".into()));
        let err = PriceTable::bundled().with_overrides(&o).unwrap_err();
        assert!(err.to_string().contains("m: `input` is missing"), "{err}");
    }
}
