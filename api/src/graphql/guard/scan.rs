//! A single pass over the raw document, before the parser sees it. The parser (and everything after it)
//! recurses once per nesting level, so a 4 KB list literal nested 1,500 deep overflows a worker's stack;
//! here nesting is only counted, so any document is measured in linear time and constant stack.

use super::{Limits, Refusal};

/// What a document may not exceed lexically.
fn refuse_nesting(limit: usize) -> Refusal {
    Refusal::TooDeep(format!("the document nests brackets more than {limit} deep"))
}

/// Checks bracket nesting (`{`, `[`, `(` outside strings and comments) and name lengths.
pub fn scan(query: &str, limits: &Limits) -> Result<(), Refusal> {
    let bytes = query.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' && bytes[i] != b'\r' {
                    i += 1;
                }
            }
            b'"' if bytes[i..].starts_with(b"\"\"\"") => {
                i += 3;
                loop {
                    if i >= bytes.len() {
                        break;
                    }
                    if bytes[i..].starts_with(b"\\\"\"\"") {
                        i += 4;
                    } else if bytes[i..].starts_with(b"\"\"\"") {
                        i += 2;
                        break;
                    } else {
                        i += 1;
                    }
                }
            }
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' && bytes[i] != b'\n' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'{' | b'[' | b'(' => {
                depth += 1;
                if depth > limits.max_nesting {
                    return Err(refuse_nesting(limits.max_nesting));
                }
            }
            b'}' | b']' | b')' => depth = depth.saturating_sub(1),
            b if b == b'_' || b.is_ascii_alphabetic() => {
                let start = i;
                while i < bytes.len() && (bytes[i] == b'_' || bytes[i].is_ascii_alphanumeric()) {
                    i += 1;
                }
                if i - start > limits.max_name_len {
                    return Err(Refusal::Parse(format!(
                        "a name is longer than {} characters",
                        limits.max_name_len
                    )));
                }
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits() -> Limits {
        Limits { max_nesting: 8, ..Limits::default() }
    }

    #[test]
    fn counts_brackets_of_every_kind() {
        assert!(scan("{ a(b: [[{c: 1}]]) { d } }", &limits()).is_ok());
        let deep_list = format!("{{ a(b: {}1{}) }}", "[".repeat(8), "]".repeat(8));
        assert!(matches!(scan(&deep_list, &limits()), Err(Refusal::TooDeep(_))));
        let deep_object = format!("{{ a(b: {}1{}) }}", "{c: ".repeat(8), "}".repeat(8));
        assert!(matches!(scan(&deep_object, &limits()), Err(Refusal::TooDeep(_))));
    }

    #[test]
    fn ignores_brackets_in_strings_and_comments() {
        let text = format!("{{ a(b: \"{}\") # {}\n }}", "[".repeat(50), "{".repeat(50));
        assert!(scan(&text, &limits()).is_ok());
        let block = format!("{{ a(b: \"\"\" \\\"\"\" {} \"\"\") }}", "(".repeat(50));
        assert!(scan(&block, &limits()).is_ok());
        let escaped = format!("{{ a(b: \"\\\" {}\") }}", "[".repeat(50));
        assert!(scan(&escaped, &limits()).is_ok());
    }

    #[test]
    fn refuses_huge_names_and_survives_anything() {
        let long = format!("{{ {} }}", "a".repeat(129));
        assert!(matches!(scan(&long, &Limits::default()), Err(Refusal::Parse(_))));
        for text in ["\"", "\"\"\"", "\"\\", "#", "]]]]", "\u{0}\u{ffff}", "{\"\\u"] {
            let _ = scan(text, &limits());
        }
    }
}
