pub mod loki_stub;
