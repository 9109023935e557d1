//! Non-interactive output: `text` for people, `json`/`jsonl` for tools, `raw` lines.
//! Renderers write to any `impl Write` so they are tested into a `Vec<u8>`.

/// The `-o/--output` choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum OutputFormat {
    #[default]
    Text,
    Json,
    Jsonl,
    Raw,
}
