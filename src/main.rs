use clap::Parser;

use cargo_fc::cli::CargoCli;
use cargo_fc::ui::Ui;

fn main() {
    let CargoCli::Fc(cli) = CargoCli::parse();
    let ui = Ui::new(0, false, cli.global.color, cli.global.message_format);
    if let Err(error) = cargo_fc::commands::run(cli) {
        ui.error(&error);
        std::process::exit(error.exit_code());
    }
}
