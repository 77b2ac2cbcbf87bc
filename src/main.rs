//! The `karvan` binary: parse the command line, run the command, print errors, set the exit code
//! (0 success, 1 the site has errors, 2 wrong usage).

use std::process::ExitCode;

use clap::Parser;
use karvan::cli::{Cli, Command};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Build(args) => args.run(),
        Command::Check(args) => args.run(),
        Command::Serve(args) => {
            // Serving stops on Ctrl-C with success; it fails only when it cannot start.
            return match args.run() {
                Ok(()) => ExitCode::SUCCESS,
                Err(diagnostics) => {
                    eprint!("{diagnostics}");
                    ExitCode::from(1)
                }
            };
        }
    };
    match result {
        Ok(_) => ExitCode::SUCCESS,
        Err(diagnostics) => {
            eprint!("{diagnostics}");
            let errors = diagnostics.errors().count();
            eprintln!(
                "\n{errors} error{} — nothing was written",
                if errors == 1 { "" } else { "s" }
            );
            ExitCode::from(1)
        }
    }
}
