use std::process::ExitCode;

fn main() -> ExitCode {
    vs_logs::run()
}
