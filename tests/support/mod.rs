pub mod loki_stub;
pub mod ws_stub;
