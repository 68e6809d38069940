//! `call METHOD [--body JSON|@FILE|@-]`: the raw escape hatch, through the same transport.

use crate::args::CallArgs;
use crate::context::Ctx;
use crate::exit::CliError;
use crate::output;
use serde_json::Value;
use std::io::Read;

pub async fn run(ctx: &Ctx, args: CallArgs) -> Result<(), CliError> {
    let body = match args.body.as_deref() {
        None => None,
        Some(text) => Some(parse_body(&read_body(text)?)?),
    };
    let result = ctx.client.call(&args.method, body.as_ref()).await?;
    output::json(&result)?;
    Ok(())
}

/// The body text: inline, `@FILE`, or `@-` for standard input.
fn read_body(arg: &str) -> Result<String, CliError> {
    match arg.strip_prefix('@') {
        Some("-") => {
            let mut text = String::new();
            std::io::stdin()
                .read_to_string(&mut text)
                .map_err(|e| CliError::Input(format!("--body @-: {e}")))?;
            Ok(text)
        }
        Some(path) => std::fs::read_to_string(path)
            .map_err(|e| CliError::Input(format!("--body @{path}: {e}"))),
        None => Ok(arg.to_owned()),
    }
}

fn parse_body(text: &str) -> Result<Value, CliError> {
    let value: Value = serde_json::from_str(text)
        .map_err(|e| CliError::Input(format!("--body is not valid JSON: {e}")))?;
    if !value.is_object() {
        return Err(CliError::Input("--body must be a JSON object".to_owned()));
    }
    Ok(value)
}
