//! Turning what a person types into a safe FTS5 query.

/// Builds an FTS5 query that matches rows containing every typed word as a prefix, so results
/// narrow as the user types. Returns `None` when there is nothing to search for. Quotes make
/// every character literal: FTS5 syntax in the input (`AND`, `"`, `*`, `:`) is never
/// interpreted.
pub fn fts_query(text: &str) -> Option<String> {
    let terms: Vec<String> = text
        .split_whitespace()
        .filter(|word| word.chars().any(char::is_alphanumeric))
        .map(|word| format!("\"{}\"*", word.replace('"', "\"\"")))
        .collect();
    (!terms.is_empty()).then(|| terms.join(" "))
}

#[cfg(test)]
mod tests {
    use super::fts_query;

    #[test]
    fn words_become_quoted_prefixes() {
        assert_eq!(fts_query("  "), None);
        assert_eq!(fts_query("- * \""), None);
        assert_eq!(fts_query("ada bak").as_deref(), Some("\"ada\"* \"bak\"*"));
        assert_eq!(
            fts_query("say \"hi\"").as_deref(),
            Some("\"say\"* \"\"\"hi\"\"\"*")
        );
    }
}
