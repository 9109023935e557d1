//! Renderings of runs for non-interactive output.
