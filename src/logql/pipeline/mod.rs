//! The compiled log pipeline: stream selector, line filters, parsers, label filters, formats.

pub mod ip;
pub mod pattern;
