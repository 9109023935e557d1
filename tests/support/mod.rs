pub mod ws_stub;
