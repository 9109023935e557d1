//! Live tail over Loki's websocket (reconnecting, gap-filling, never repeating) and following
//! local files.
