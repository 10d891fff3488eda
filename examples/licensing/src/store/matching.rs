//! Finding the composition a cover covers, from what the artist typed.
//!
//! Titles are typed loosely ("Hallelujah (Live)", "jolene", "Dont Stop Me
//! Now"), so exact lookup is not enough. The score is the **Sørensen–Dice
//! coefficient on character bigrams**:
//!
//! 1. *Normalize*: lowercase; every character that is not a letter or a
//!    digit separates words (so punctuation and apostrophes vanish).
//! 2. *Bigrams*: each word is padded with a space on both sides and cut
//!    into overlapping pairs (`" j"`, `"jo"`, … `"e "`), so one-letter
//!    words count and word boundaries matter. Bigrams are a multiset.
//! 3. *Dice*: `2·|A ∩ B| / (|A| + |B|)`, in `[0, 1]`; identical normalized
//!    texts score exactly 1, texts with no bigram in common 0.
//!
//! Dice on bigrams tolerates typos, missing punctuation and extra words
//! ("(Live)") while staying cheap and explainable; token-set Jaccard
//! would score "Jolene" and "Jolene Jolene" the same.
//!
//! A candidate's score is the title's similarity, or, when the caller also
//! names people (`artist`, `writers`), `0.8 × title + 0.2 × people`, where
//! `people` is the best similarity between any name given and any of the
//! composition's writers. Titles dominate because they are what the artist
//! is sure of; names break ties between songs of the same title.
//!
//! Ranking puts compositions whose normalized title **equals** the query's
//! first, then orders by score (higher first), then title and id, so an
//! exact title is never outranked by a near title with a matching writer.
//! Compositions whose title similarity is below [`MIN_TITLE_SIMILARITY`]
//! are not candidates at all.
//!
//! # Finding candidates without reading the catalogue
//!
//! Scoring every composition is linear (47 ms at 10k), so each engine
//! first asks its word index for a bounded set of candidates, in one
//! statement, and only those are scored here (`best`; SQLite reads them
//! whole at once, PostgreSQL reads what scoring needs and then the best
//! whole, in a second statement). [`Probes`] says what the index is
//! asked, the same on both engines (SQLite FTS5; PostgreSQL a `tsvector`
//! under GIN for all the words, a B-tree of title words for the rest),
//! each probe giving at most [`PER_PROBE`] compositions:
//!
//! - the normalized title itself, by an ordinary index: an exact title is
//!   always a candidate, so it is always ranked first;
//! - every word of the query together (titles holding them all);
//! - each word alone;
//! - the first three letters of each word of four letters or more, as a
//!   prefix, so a typo after them ("Halelujah") or a suffix
//!   ("Yesterdays") still finds the song.
//!
//! The index is over the same normalized words, so quotes, punctuation and
//! query operators in what the caller typed are separators, never syntax.
//! A composition that shares no word and no three-letter word start with
//! the query is not found, nor one beyond the first [`PER_PROBE`] of a
//! probe that many titles answer (a common word): a probe's rows come in
//! index order, unranked, which keeps a probe's cost bounded.

use std::collections::HashMap;

use super::{Candidate, Composition, MatchQuery};

/// Title similarity below which a composition is not offered.
pub const MIN_TITLE_SIMILARITY: f64 = 0.3;

/// How many candidates are offered at most.
pub const MAX_CANDIDATES: usize = 10;

/// How many compositions each index probe may bring (see the module docs).
pub const PER_PROBE: u32 = 50;

/// How many of the query's words are probed at most (the longest ones).
pub const MAX_PROBED_WORDS: usize = 8;

/// The weight of the title in a score when people are named too.
const TITLE_WEIGHT: f64 = 0.8;

/// Lowercase words of letters and digits.
pub fn normalize(text: &str) -> String {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

/// The multiset of padded character bigrams of `text`'s words.
fn bigrams(text: &str) -> HashMap<(char, char), u32> {
    let mut counts = HashMap::new();
    for word in normalize(text).split(' ').filter(|w| !w.is_empty()) {
        let padded: Vec<char> = std::iter::once(' ')
            .chain(word.chars())
            .chain(std::iter::once(' '))
            .collect();
        for pair in padded.windows(2) {
            *counts.entry((pair[0], pair[1])).or_insert(0) += 1;
        }
    }
    counts
}

/// The Sørensen–Dice coefficient of two texts' bigrams, in `[0, 1]`.
pub fn similarity(a: &str, b: &str) -> f64 {
    let (a, b) = (bigrams(a), bigrams(b));
    let total: u32 = a.values().sum::<u32>() + b.values().sum::<u32>();
    if total == 0 {
        return 0.0;
    }
    let common: u32 = a
        .iter()
        .map(|(pair, n)| (*n).min(b.get(pair).copied().unwrap_or(0)))
        .sum();
    f64::from(2 * common) / f64::from(total)
}

/// How well one composition matches a query.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Score {
    /// The normalized titles are equal.
    pub exact_title: bool,
    /// The title's similarity alone.
    pub title: f64,
    /// The combined score in `[0, 1]`.
    pub score: f64,
}

/// Scores a composition (`title`, `writers`) against a query title and
/// the people the caller named (empty when none).
pub fn score(query_title: &str, names: &[&str], title: &str, writers: &[String]) -> Score {
    let exact_title = {
        let q = normalize(query_title);
        !q.is_empty() && q == normalize(title)
    };
    let title_similarity = similarity(query_title, title);
    let score = if names.is_empty() {
        title_similarity
    } else {
        let people = names
            .iter()
            .flat_map(|name| writers.iter().map(move |w| similarity(name, w)))
            .fold(0.0, f64::max);
        TITLE_WEIGHT * title_similarity + (1.0 - TITLE_WEIGHT) * people
    };
    Score {
        exact_title,
        title: title_similarity,
        score,
    }
}

/// Whether a score makes a composition a candidate.
pub fn is_candidate(score: &Score) -> bool {
    score.exact_title || score.title >= MIN_TITLE_SIMILARITY
}

/// Orders two scored candidates: exact titles first, then higher scores.
pub fn rank(a: &Score, b: &Score) -> std::cmp::Ordering {
    b.exact_title
        .cmp(&a.exact_title)
        .then(b.score.total_cmp(&a.score))
}

/// What an engine asks its index for a query title (see the module docs).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Probes {
    /// The normalized title, looked up exactly.
    pub key: String,
    /// The words to find together, when there are two or more.
    pub all: Vec<String>,
    /// Each word alone.
    pub words: Vec<String>,
    /// Word starts to find as prefixes.
    pub prefixes: Vec<String>,
}

impl Probes {
    /// The probes for `title`: at most [`MAX_PROBED_WORDS`] words, the
    /// longest (rarer, as a rule), each once.
    pub fn of(title: &str) -> Self {
        let key = normalize(title);
        let mut words: Vec<String> = Vec::new();
        for word in key.split(' ').filter(|w| !w.is_empty()) {
            if !words.iter().any(|w| w == word) {
                words.push(word.to_owned());
            }
        }
        words.sort_by_key(|w| std::cmp::Reverse(w.chars().count()));
        words.truncate(MAX_PROBED_WORDS);
        let mut prefixes: Vec<String> = Vec::new();
        for word in words.iter().filter(|w| w.chars().count() >= 4) {
            let start: String = word.chars().take(3).collect();
            if !prefixes.contains(&start) && !words.contains(&start) {
                prefixes.push(start);
            }
        }
        let all = if words.len() > 1 {
            words.clone()
        } else {
            Vec::new()
        };
        Self {
            key,
            all,
            words,
            prefixes,
        }
    }

    /// Whether the title has no word at all (nothing to look for).
    pub fn is_empty(&self) -> bool {
        self.key.is_empty()
    }
}

/// The words of a search text (`GET /compositions?q=`), normalized, each
/// once, at most [`MAX_PROBED_WORDS`]; every one must start a word of the
/// title or of a writer's name.
pub fn search_words(q: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    for word in normalize(q).split(' ').filter(|w| !w.is_empty()) {
        if !words.iter().any(|w| w == word) {
            words.push(word.to_owned());
        }
    }
    words.truncate(MAX_PROBED_WORDS);
    words
}

/// The normalized writers of a composition, as the search index holds
/// them: one line per writer.
pub fn writers_key(writers: &[String]) -> String {
    writers
        .iter()
        .map(|w| normalize(w))
        .collect::<Vec<_>>()
        .join("\n")
}

/// What scoring reads of a found composition: an engine may score rows
/// lighter than a whole [`Composition`] and read the whole of only the
/// best.
pub(crate) trait Scorable {
    /// The composition's id (the last tie-break).
    fn id(&self) -> i64;
    /// Its title.
    fn title(&self) -> &str;
    /// Its writers, in credit order (read only when the query names people:
    /// see [`names_people`]).
    fn writers(&self) -> &[String];
}

impl Scorable for Composition {
    fn id(&self) -> i64 {
        self.id
    }
    fn title(&self) -> &str {
        &self.title
    }
    fn writers(&self) -> &[String] {
        &self.writers
    }
}

/// The people `query` names (its artist and writers), blank ones left out.
fn names(query: &MatchQuery) -> Vec<&str> {
    query
        .artist
        .iter()
        .chain(&query.writers)
        .map(String::as_str)
        .filter(|name| !name.trim().is_empty())
        .collect()
}

/// Whether `query`'s score reads the writers of what is found.
pub(crate) fn names_people(query: &MatchQuery) -> bool {
    !names(query).is_empty()
}

/// The candidates among `found` for `query`, best first, at most
/// [`MAX_CANDIDATES`], each with its score: what every engine answers once
/// its index has found the compositions worth scoring (scoring in Rust
/// keeps the score documented in one place).
pub(crate) fn best<T: Scorable>(query: &MatchQuery, found: Vec<T>) -> Vec<(T, f64)> {
    let names = names(query);
    let mut scored: Vec<(Score, T)> = found
        .into_iter()
        .map(|c| (score(&query.title, &names, c.title(), c.writers()), c))
        .filter(|(score, _)| is_candidate(score))
        .collect();
    scored.sort_by(|(a, ca), (b, cb)| {
        rank(a, b)
            .then_with(|| ca.title().cmp(cb.title()))
            .then(ca.id().cmp(&cb.id()))
    });
    scored.truncate(MAX_CANDIDATES);
    scored
        .into_iter()
        .map(|(score, c)| (c, score.score))
        .collect()
}

/// [`best`] of whole compositions, as candidates.
pub(crate) fn candidates(query: &MatchQuery, compositions: Vec<Composition>) -> Vec<Candidate> {
    best(query, compositions)
        .into_iter()
        .map(|(composition, score)| Candidate { composition, score })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizing_keeps_letters_and_digits() {
        assert_eq!(normalize("  Don't Stop Me   Now!"), "don t stop me now");
        assert_eq!(normalize("Hallelujah (Live, 1994)"), "hallelujah live 1994");
        assert_eq!(normalize("Édith—Piaf"), "édith piaf");
        assert_eq!(normalize("?!"), "");
    }

    #[test]
    fn dice_on_bigrams() {
        // Identical after normalizing.
        assert_eq!(similarity("Jolene", "JOLENE!"), 1.0);
        // Nothing in common, and empty texts.
        assert_eq!(similarity("abc", "xyz"), 0.0);
        assert_eq!(similarity("", ""), 0.0);
        // " a", "ab", "b " vs " a", "ac", "c ": one shared, six in all → 2/6.
        assert!((similarity("ab", "ac") - 1.0 / 3.0).abs() < 1e-12);
        // Symmetric and bounded.
        for (a, b) in [("Hallelujah", "Halleluja"), ("Yesterday", "Yesterdays")] {
            let s = similarity(a, b);
            assert!((0.0..=1.0).contains(&s));
            assert_eq!(s, similarity(b, a));
            assert!(s > 0.8, "{a} {b} {s}");
        }
    }

    #[test]
    fn exact_titles_rank_first_even_against_matching_writers() {
        let writers_cohen = vec!["Leonard Cohen".to_owned()];
        let writers_other = vec!["Someone Else".to_owned()];
        let exact = score(
            "Hallelujah",
            &["Someone Else"],
            "Hallelujah",
            &writers_cohen,
        );
        let near = score(
            "Hallelujah",
            &["Someone Else"],
            "Hallelujah Song",
            &writers_other,
        );
        assert!(exact.exact_title && !near.exact_title);
        assert!(near.score > exact.score, "the case the rank rule is for");
        assert_eq!(rank(&exact, &near), std::cmp::Ordering::Less);
    }

    #[test]
    fn probes_are_words_word_starts_and_the_key() {
        let p = Probes::of("  Don't Stop (Me) NOW!! now");
        assert_eq!(p.key, "don t stop me now now");
        assert_eq!(p.words, ["stop", "don", "now", "me", "t"]);
        assert_eq!(p.all, p.words);
        assert_eq!(p.prefixes, ["sto"]);
        let one = Probes::of("Halelujah");
        assert_eq!(one.words, ["halelujah"]);
        assert!(one.all.is_empty());
        assert_eq!(one.prefixes, ["hal"]);
        // Query syntax of either engine is only punctuation here.
        let ops = Probes::of(r#""a" OR b* NEAR(c) & !d:* 'e' -f"#);
        assert_eq!(ops.key, "a or b near c d e f");
        assert!(
            ops.words
                .iter()
                .all(|w| w.chars().all(char::is_alphanumeric))
        );
        assert!(Probes::of("?!\"*").is_empty());
        let many = Probes::of("a bb ccc dddd eeeee ffffff ggggggg hhhhhhhh iiiiiiiii");
        assert_eq!(many.words.len(), MAX_PROBED_WORDS);
        assert_eq!(many.words[0], "iiiiiiiii");
        assert!(!many.words.contains(&"a".to_owned()));
    }

    #[test]
    fn search_words_and_writer_keys_are_normalized() {
        assert_eq!(search_words(" Blue  MOON blue"), ["blue", "moon"]);
        assert!(search_words("\"*()").is_empty());
        let writers = ["Paul McCartney".to_owned(), "J. Lennon".to_owned()];
        assert_eq!(writers_key(&writers), "paul mccartney\nj lennon");
    }

    #[test]
    fn typos_are_candidates_strangers_are_not() {
        let none: &[&str] = &[];
        assert!(is_candidate(&score("Halelujah", none, "Hallelujah", &[])));
        assert!(!is_candidate(&score("Jolene", none, "Yesterday", &[])));
    }
}
