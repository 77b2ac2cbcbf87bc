//! The `karvan` binary: parse the command line, run the command, set the exit code (0 success,
//! 1 the site has errors, 2 wrong usage). Each command prints its own report.

use std::process::ExitCode;

use clap::Parser;
use karvan::cli::{Cli, Command};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let code = match &cli.command {
        Command::Build(args) => args.run(),
        Command::Check(args) => args.run(),
        Command::New(args) => args.run(),
        Command::Init(args) => args.run(),
        Command::Serve(args) => {
            // Serving stops on Ctrl-C with success; it fails only when it cannot start.
            match args.run() {
                Ok(()) => 0,
                Err(diagnostics) => {
                    eprint!("{diagnostics}");
                    1
                }
            }
        }
    };
    ExitCode::from(code)
}
