//! Names: case conversion, and "did you mean" suggestions for typos.

/// `GetAlbum` → `get_album`.
pub(crate) fn snake_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    let chars: Vec<char> = name.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if c.is_uppercase() {
            let prev_lower =
                i > 0 && (chars[i - 1].is_lowercase() || chars[i - 1].is_ascii_digit());
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_lowercase());
            if i > 0 && (prev_lower || (next_lower && chars[i - 1].is_uppercase())) {
                out.push('_');
            }
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// Converts a variant name for `rename_all`.
pub(crate) fn convert(name: &str, rule: &str) -> String {
    let snake = snake_case(name);
    match rule {
        "lowercase" => name.to_lowercase(),
        "UPPERCASE" => name.to_uppercase(),
        "kebab-case" => snake.replace('_', "-"),
        "SCREAMING_SNAKE_CASE" => snake.to_uppercase(),
        _ => snake,
    }
}

/// The `rename_all` rules.
pub(crate) const RENAME_RULES: &[&str] = &[
    "snake_case",
    "lowercase",
    "UPPERCASE",
    "kebab-case",
    "SCREAMING_SNAKE_CASE",
];

/// Names users reach for, from other libraries (validator, serde,
/// pydantic), and the attribute that does the job here.
const SYNONYMS: &[(&str, &str)] = &[
    ("length", "len"),
    ("max_length", "len"),
    ("min_length", "len"),
    ("regex", "pattern"),
    ("choices", "one_of"),
    ("values", "one_of"),
    ("min", "range"),
    ("max", "range"),
    ("alias", "rename"),
];

/// The candidate `typo` most likely meant: a close misspelling, a longer
/// spelling of a short name (`lenght` for `len`), or a synonym (`regex`
/// for `pattern`).
pub(crate) fn suggest<'a>(typo: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let typo = typo.to_lowercase();
    let close = candidates
        .iter()
        .map(|c| (edit_distance(&typo, &c.to_lowercase()), *c))
        .filter(|(d, c)| *d <= (c.len() / 3).max(1))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c);
    let synonym = || {
        SYNONYMS
            .iter()
            .filter(|(alias, _)| *alias == typo)
            .find_map(|(_, meant)| candidates.iter().find(|c| *c == meant).copied())
    };
    let longer = || {
        candidates
            .iter()
            .filter(|c| c.len() >= 3 && typo.starts_with(&c.to_lowercase()))
            .max_by_key(|c| c.len())
            .copied()
    };
    close.or_else(synonym).or_else(longer)
}

/// ", did you mean `x`?" or nothing.
pub(crate) fn did_you_mean(typo: &str, candidates: &[&str]) -> String {
    match suggest(typo, candidates) {
        Some(s) => format!(", did you mean `{s}`?"),
        None => String::new(),
    }
}

/// ", did you mean `x`?" when `typo` is close to a candidate, otherwise
/// "; expected `a`, `b` or `c`": either way the message says what to write.
pub(crate) fn did_you_mean_or_list(typo: &str, candidates: &[&str]) -> String {
    match suggest(typo, candidates) {
        Some(s) => format!(", did you mean `{s}`?"),
        None if candidates.is_empty() => String::new(),
        None => format!("; expected {}", one_of(candidates)),
    }
}

/// "`a`, `b` or `c`".
pub(crate) fn one_of(candidates: &[&str]) -> String {
    let quoted: Vec<String> = candidates.iter().map(|c| format!("`{c}`")).collect();
    match quoted.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
    }
}

/// Optimal string alignment distance: Levenshtein plus the swap of two
/// adjacent letters as one edit, since `titel` and `subfeilds` are the
/// typos people make.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[i - 1][j - 1] + cost)
                .min(d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = best;
        }
    }
    d[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_cases_type_names() {
        for (from, to) in [
            ("GetAlbum", "get_album"),
            ("DateTime", "date_time"),
            ("HTTPServer", "http_server"),
            ("Album2Go", "album2_go"),
            ("album", "album"),
        ] {
            assert_eq!(snake_case(from), to);
        }
    }

    #[test]
    fn suggests_close_names_only() {
        assert_eq!(suggest("defualt", &["default", "range"]), Some("default"));
        assert_eq!(
            suggest("subfeilds", &["subfields", "skip"]),
            Some("subfields")
        );
        assert_eq!(suggest("titel", &["id", "title"]), Some("title"));
        assert_eq!(suggest("nmae", &["id", "name"]), Some("name"));
        assert_eq!(suggest("zzz", &["default", "range"]), None);
        // A longer spelling of a short name, and other libraries' names.
        let field = ["default", "range", "len", "pattern", "one_of"];
        assert_eq!(suggest("lenght", &field), Some("len"));
        assert_eq!(suggest("length", &field), Some("len"));
        assert_eq!(suggest("regex", &field), Some("pattern"));
        assert_eq!(suggest("choices", &field), Some("one_of"));
        assert_eq!(suggest("max", &field), Some("range"));
        // A synonym whose attribute is not allowed here suggests nothing.
        assert_eq!(suggest("regex", &["default"]), None);
        // Short names are not prefixes of everything.
        assert_eq!(suggest("idx", &["id"]), Some("id"));
        assert_eq!(suggest("identifier", &["id"]), None);
    }
}
