//! The XML the service sends when the caller does not ask for JSON: a WCF DataContract-style
//! rendering of the same result or fault, plus the canned XML fault and HTML error pages used
//! by injected faults.

use std::fmt::Write;

use serde_json::Value;

const DATA_CONTRACT_NS: &str = "http://schemas.datacontract.org/2004/07/Cpaas.ResellerServices";
const INSTANCE_NS: &str = "http://www.w3.org/2001/XMLSchema-instance";

/// Renders a JSON body (as the emulator produced it) as XML under `root`. Object members come
/// out in name order, as WCF's DataContractSerializer orders them by default.
pub(crate) fn render(root: &str, json: &[u8]) -> Vec<u8> {
    let value: Value = match serde_json::from_slice(json) {
        Ok(v) => v,
        Err(_) => Value::String(String::from_utf8_lossy(json).into_owned()),
    };
    let mut out = String::with_capacity(json.len() + json.len() / 2 + 128);
    let _ = write!(
        out,
        "<{root} xmlns=\"{DATA_CONTRACT_NS}\" xmlns:i=\"{INSTANCE_NS}\">"
    );
    match &value {
        Value::Object(map) => {
            for (key, v) in map {
                element(&mut out, key, v);
            }
        }
        other => content(&mut out, "", other),
    }
    let _ = write!(out, "</{root}>");
    out.into_bytes()
}

/// The element name for items of a list, from the list's name (`Accounts` -> `Account`).
fn item_name(list: &str) -> &str {
    match list {
        "Allocations" => "CreditAllocation",
        "Activities" => "ChargeableActivity",
        "Numbers" => "InboundNumber",
        "RoleIds" => "int",
        "Capabilities" => "string",
        other => other.strip_suffix('s').unwrap_or(other),
    }
}

fn element(out: &mut String, name: &str, value: &Value) {
    if value.is_null() {
        let _ = write!(out, "<{name} i:nil=\"true\"/>");
        return;
    }
    let _ = write!(out, "<{name}>");
    content(out, name, value);
    let _ = write!(out, "</{name}>");
}

fn content(out: &mut String, name: &str, value: &Value) {
    match value {
        Value::Null => {}
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => {
            let _ = write!(out, "{n}");
        }
        Value::String(s) => escape_into(out, s),
        Value::Array(items) => {
            let item = item_name(name);
            for v in items {
                element(out, item, v);
            }
        }
        Value::Object(map) => {
            for (key, v) in map {
                element(out, key, v);
            }
        }
    }
}

pub(crate) fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
}

/// The reason phrase for a status, for canned pages.
pub(crate) fn reason(status: u16) -> &'static str {
    http_reason(status).unwrap_or("Error")
}

fn http_reason(status: u16) -> Option<&'static str> {
    axum::http::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
}

/// The fault WCF sends when an operation throws outside its declared contracts.
pub(crate) fn wcf_fault(status: u16) -> String {
    format!(
        "<Fault xmlns=\"http://schemas.microsoft.com/ws/2005/05/envelope/none\"><Code><Value>Receiver</Value>\
<Subcode><Value xmlns:a=\"http://schemas.microsoft.com/net/2005/12/windowscommunicationfoundation/dispatcher\">a:InternalServiceFault</Value></Subcode></Code>\
<Reason><Text xml:lang=\"en-US\">The server was unable to process the request due to an internal error ({status} {}).</Text></Reason></Fault>",
        reason(status)
    )
}

/// An IIS / gateway style HTML error page.
pub(crate) fn html_page(status: u16) -> String {
    let reason = reason(status);
    format!(
        "<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Strict//EN\" \"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd\">\n\
<html xmlns=\"http://www.w3.org/1999/xhtml\">\n<head>\n<title>{status} - {reason}</title>\n</head>\n<body>\n\
<div id=\"header\"><h1>Server Error</h1></div>\n<div id=\"content\">\n<div class=\"content-container\"><fieldset>\n\
<h2>{status} - {reason}.</h2>\n<h3>The gateway did not receive a timely or valid response from the upstream server.</h3>\n\
</fieldset></div>\n</div>\n</body>\n</html>\n"
    )
}
