//! Grafana's grid (24 columns, rows of ~30 px) mapped onto a terminal area.

use super::model::GridPos;

/// Grafana's grid width.
pub const GRID_COLUMNS: u16 = 24;

/// A terminal rectangle, relative to the area's top-left corner.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CellRect {
    pub x: u16,
    pub y: u16,
    pub w: u16,
    pub h: u16,
}

/// Each panel's cells in a `width × height` area: columns scaled from 24, rows scaled so the
/// whole dashboard fits the height (edges computed from the grid lines, so neighbours share
/// borders exactly and nothing overlaps).
pub fn layout_cells(grid: &[GridPos], width: u16, height: u16) -> Vec<CellRect> {
    let rows = grid
        .iter()
        .map(|g| u32::from(g.y) + u32::from(g.h))
        .max()
        .unwrap_or(1)
        .max(1);
    let col = |x: u16| (u32::from(x.min(GRID_COLUMNS)) * u32::from(width) / 24) as u16;
    let row = |y: u32| (y.min(rows) * u32::from(height) / rows) as u16;
    grid.iter()
        .map(|g| {
            let x0 = col(g.x);
            let x1 = col(g.x.saturating_add(g.w));
            let y0 = row(u32::from(g.y));
            let y1 = row(u32::from(g.y) + u32::from(g.h));
            CellRect {
                x: x0,
                y: y0,
                w: x1.saturating_sub(x0),
                h: y1.saturating_sub(y0),
            }
        })
        .collect()
}
