//! [`PageRequest`]: which page a client asks for, as one argument field.

use crate::argument::constraint::{check_range, restate_range};
use crate::argument::{Argument, ArgumentMeta, Arguments, Errors, Lookup, Pointer, Schema, Source};

use super::{Cursor, MAX_PAGE};

/// Which page of a list the client asks for: the `page`, `per_page` and
/// `after` query arguments, declared by an endpoint as one
/// `#[pale(flatten)]` field. `PER_PAGE` is the page size when the client gives none,
/// `MAX_PER_PAGE` the largest it may ask for; `page` runs from 1 to
/// [`MAX_PAGE`]. A value out of range is a 422 pointing at `/page` or
/// `/per_page`, with every other argument's errors.
///
/// ```
/// use pale_core::page::PageRequest;
/// use pale_core::prelude::*;
///
/// /// Every song, a page at a time.
/// #[derive(Endpoint)]
/// #[pale(GET "/songs", name = "songs")]
/// struct ListSongs {
///     /// 20 songs a page unless the client asks for up to 50.
///     #[pale(flatten)]
///     paging: PageRequest<20, 50>,
/// }
///
/// let names: Vec<_> = ListSongs::META.arguments.iter().map(|a| a.name).collect();
/// assert_eq!(names, ["page", "per_page", "after"]);
/// ```
///
/// A handler passes [`offset`](Self::offset) and [`limit`](Self::limit)
/// to its store and answers with [`Page::of`](crate::Page::of); it never
/// computes either.
///
/// A store that reads its list by key (keyset pagination, see [`Cursor`])
/// also reads [`after`](Self::after): the key of the last item before the
/// page, from the `next` link of the page before, which the handler made
/// with [`Page::with_next`](crate::Page::with_next). A page reached that
/// way still knows its number ([`page`](Self::page)), and a store that
/// ignores the key still finds the page by its offset. `after` and `page`
/// together are a 422.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PageRequest<const PER_PAGE: u32 = 20, const MAX_PER_PAGE: u32 = 100> {
    page: u32,
    per_page: u32,
    after: Option<Cursor>,
}

impl<const PER_PAGE: u32, const MAX_PER_PAGE: u32> PageRequest<PER_PAGE, MAX_PER_PAGE> {
    /// Fails the build of a `PageRequest<0, _>` or one whose default is
    /// above its maximum.
    const BOUNDS: () = assert!(
        PER_PAGE >= 1 && PER_PAGE <= MAX_PER_PAGE,
        "PageRequest<PER_PAGE, MAX_PER_PAGE> needs 1 <= PER_PAGE <= MAX_PER_PAGE"
    );

    /// The first page at the default size.
    pub const FIRST: Self = Self {
        page: 1,
        per_page: PER_PAGE,
        after: None,
    };

    /// Page `page` of `per_page` items, or `None` when either is out of
    /// this type's bounds (for tests and tools; the server casts it).
    pub fn new(page: u32, per_page: u32) -> Option<Self> {
        let () = Self::BOUNDS;
        let fits = (1..=MAX_PAGE).contains(&page) && (1..=MAX_PER_PAGE).contains(&per_page);
        fits.then_some(Self {
            page,
            per_page,
            after: None,
        })
    }

    /// The page `cursor` leads to, `per_page` items long, or `None` when
    /// `per_page` is out of this type's bounds (for tests and tools).
    pub fn after_cursor(cursor: Cursor, per_page: u32) -> Option<Self> {
        let mut request = Self::new(1, per_page)?;
        request.page = cursor.page();
        request.after = Some(cursor);
        Some(request)
    }

    /// The page asked for, from 1: the cursor's page when the client
    /// followed one.
    pub fn page(&self) -> u32 {
        self.page
    }

    /// The cursor the client followed (`after`), if any: its
    /// [`key`](Cursor::key) is where a keyset store starts reading.
    pub fn cursor(&self) -> Option<&Cursor> {
        self.after.as_ref()
    }

    /// The key of the last item before this page, when the client followed
    /// a `next` link of a list read by key.
    pub fn after(&self) -> Option<&str> {
        self.after.as_ref().map(Cursor::key)
    }

    /// The page size asked for, from 1 to `MAX_PER_PAGE`.
    pub fn per_page(&self) -> u32 {
        self.per_page
    }

    /// How many items come before this page: what SQL's `OFFSET` takes.
    /// At most `(MAX_PAGE - 1) × u32::MAX`, so it fits an `i64` too.
    pub fn offset(&self) -> u64 {
        u64::from(self.page - 1) * u64::from(self.per_page)
    }

    /// How many items this page holds at most: what SQL's `LIMIT` takes.
    pub fn limit(&self) -> u32 {
        self.per_page
    }

    /// This page's part of `all`, for a list held whole in memory: empty
    /// past the end.
    pub fn window<'a, T>(&self, all: &'a [T]) -> &'a [T] {
        let start = usize::try_from(self.offset()).unwrap_or(usize::MAX);
        let rest = all.get(start..).unwrap_or_default();
        let limit = usize::try_from(self.per_page).unwrap_or(usize::MAX);
        &rest[..rest.len().min(limit)]
    }

    fn default_per_page() -> Option<String> {
        Some(PER_PAGE.to_string())
    }
}

impl<const PER_PAGE: u32, const MAX_PER_PAGE: u32> Default for PageRequest<PER_PAGE, MAX_PER_PAGE> {
    fn default() -> Self {
        let () = Self::BOUNDS;
        Self::FIRST
    }
}

const U32: Schema = Schema::integer("uint32", 0, u32::MAX as i128);

impl<const PER_PAGE: u32, const MAX_PER_PAGE: u32> Arguments
    for PageRequest<PER_PAGE, MAX_PER_PAGE>
{
    const ARGUMENTS: &'static [ArgumentMeta] = &[
        ArgumentMeta {
            description: "The page, from 1.",
            source: Source::Query,
            required: false,
            default: Some("1"),
            minimum: Some(1.0),
            maximum: Some(MAX_PAGE as f64),
            ..ArgumentMeta::new("page", &U32)
        },
        ArgumentMeta {
            description: "How many items a page holds.",
            source: Source::Query,
            required: false,
            default_text: Some(Self::default_per_page),
            minimum: Some(1.0),
            maximum: Some(MAX_PER_PAGE as f64),
            ..ArgumentMeta::new("per_page", &U32)
        },
        ArgumentMeta {
            description: "Where the page starts, on a list read by key: the cursor of the \
                          `next` link of the page before (opaque). Instead of `page`.",
            source: Source::Query,
            required: false,
            ..ArgumentMeta::new("after", &Schema::TEXT)
        },
    ];

    fn cast_from<L: Lookup + ?Sized>(
        input: &L,
        at: &Pointer<'_>,
        errors: &mut Errors,
    ) -> Option<Self> {
        let () = Self::BOUNDS;
        let before = errors.len();
        let page = read(input, "page", 1, MAX_PAGE, at, errors);
        let per_page = read(input, "per_page", PER_PAGE, MAX_PER_PAGE, at, errors);
        let after = read_after(input, at, errors);
        if errors.len() > before {
            return None;
        }
        let mut request = Self {
            page: page?,
            per_page: per_page?,
            after: None,
        };
        if let Some(cursor) = after? {
            if request.page != 1 {
                errors.push(
                    &at.key("after"),
                    "conflict",
                    "give `page` or `after`, not both",
                );
                return None;
            }
            request.page = cursor.page();
            request.after = Some(cursor);
        }
        Some(request)
    }
}

/// Reads `after`: absent or blank is `Some(None)`; a token that is not a
/// cursor is an error at `/after`.
fn read_after<L: Lookup + ?Sized>(
    input: &L,
    at: &Pointer<'_>,
    errors: &mut Errors,
) -> Option<Option<Cursor>> {
    let before = errors.len();
    let found = input.lookup("after", Source::Query, at, errors);
    if errors.len() > before {
        return None;
    }
    let Some(raw) = found.filter(|raw| !raw.is_blank()) else {
        return Some(None);
    };
    let here = at.key("after");
    let text = String::cast(raw, &here, errors)?;
    match Cursor::parse(&text) {
        Some(cursor) => Some(Some(cursor)),
        None => {
            errors.push(
                &here,
                "invalid",
                "not a cursor: follow the `next` link of the page before",
            );
            None
        }
    }
}

/// Reads one of the two arguments from the query as any `u32` argument
/// is read (blank is absent), `default` when absent, checked against
/// `1..=max` at its own pointer.
fn read<L: Lookup + ?Sized>(
    input: &L,
    name: &'static str,
    default: u32,
    max: u32,
    at: &Pointer<'_>,
    errors: &mut Errors,
) -> Option<u32> {
    let before = errors.len();
    let found = input.lookup(name, Source::Query, at, errors);
    if errors.len() > before {
        return None;
    }
    let here = at.key(name);
    let value = match found {
        Some(raw) if !raw.is_blank() => {
            let Some(value) = u32::cast(raw, &here, errors) else {
                restate_range::<u32>(errors, &here, Some(1), Some(max));
                return None;
            };
            value
        }
        _ => default,
    };
    check_range(&value, Some(1), Some(max), &here, errors);
    Some(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::argument::{Input, Raw};

    type Paging = PageRequest<20, 50>;

    fn cast(query: &[(&str, &str)]) -> Result<Paging, Vec<(String, String, String)>> {
        let mut input = Input::new();
        for (name, value) in query {
            input.query.insert(*name, Raw::from(*value));
        }
        Paging::from_input(&input).map_err(|e| {
            e.errors()
                .iter()
                .map(|f| (f.pointer.clone(), f.code.to_string(), f.message.clone()))
                .collect()
        })
    }

    /// (page, per_page, offset, limit), or each error's pointer, code and
    /// message.
    type Expected = Result<(u32, u32, u64, u32), Vec<(&'static str, &'static str, String)>>;

    #[test]
    fn a_cursor_carries_its_key() {
        let t4 = token(4);
        let paging = cast(&[("after", &t4)]).unwrap();
        assert_eq!((paging.page(), paging.after()), (4, Some("title:x:1")));
        assert_eq!(cast(&[]).unwrap().after(), None);
        let made = Paging::after_cursor(Cursor::new(4, "title:x:1"), 20).unwrap();
        assert_eq!(made, paging);
    }

    fn token(page: u32) -> String {
        Cursor::new(page, "title:x:1").token()
    }

    fn not_a_cursor() -> String {
        "not a cursor: follow the `next` link of the page before".to_owned()
    }

    #[test]
    fn casts_with_defaults_and_bounds() {
        let between = |max: u32| format!("must be between 1 and {max}");
        let t7 = token(7);
        let cursor = [("after", t7.as_str())];
        let cursor_sized = [("after", t7.as_str()), ("per_page", "5"), ("page", "1")];
        let cursor_and_page = [("after", t7.as_str()), ("page", "3")];
        #[rustfmt::skip]
        let table: Vec<(&[(&str, &str)], Expected)> = vec![
            (&[], Ok((1, 20, 0, 20))),
            (&[("page", "3")], Ok((3, 20, 40, 20))),
            (&[("page", "2"), ("per_page", "50")], Ok((2, 50, 50, 50))),
            (&[("per_page", "1")], Ok((1, 1, 0, 1))),
            (&[("page", "1000000"), ("per_page", "50")], Ok((1_000_000, 50, 49_999_950, 50))),
            // Blank is absent, as for every argument.
            (&[("page", ""), ("per_page", "")], Ok((1, 20, 0, 20))),
            (&[("page", "0")], Err(vec![("/page", "out_of_range", between(MAX_PAGE))])),
            (&[("page", "1000001")], Err(vec![("/page", "out_of_range", between(MAX_PAGE))])),
            (&[("per_page", "51")], Err(vec![("/per_page", "out_of_range", between(50))])),
            (&[("per_page", "0"), ("page", "-1")], Err(vec![
                ("/page", "out_of_range", between(MAX_PAGE)),
                ("/per_page", "out_of_range", between(50)),
            ])),
            // A cursor gives the page its number; its offset is the same.
            (&cursor, Ok((7, 20, 120, 20))),
            (&cursor_sized, Ok((7, 5, 30, 5))),
            (&[("after", "")], Ok((1, 20, 0, 20))),
            (&[("after", "bm90IGEgY3Vyc29y")], Err(vec![("/after", "invalid", not_a_cursor())])),
            (&cursor_and_page, Err(vec![
                ("/after", "conflict", "give `page` or `after`, not both".to_owned()),
            ])),
            (&[("after", "x"), ("per_page", "0")], Err(vec![
                ("/per_page", "out_of_range", between(50)),
                ("/after", "invalid", not_a_cursor()),
            ])),
        ];
        for (query, expected) in table {
            let got = cast(query).map(|p| (p.page(), p.per_page(), p.offset(), p.limit()));
            let expected = expected.map_err(|errors| {
                errors
                    .into_iter()
                    .map(|(p, c, m)| (p.to_owned(), c.to_owned(), m))
                    .collect::<Vec<_>>()
            });
            assert_eq!(got, expected, "{query:?}");
        }
    }

    #[test]
    fn windows_a_list_held_in_memory() {
        let all: Vec<u32> = (1..=7).collect();
        let window = |page, per_page| Paging::new(page, per_page).unwrap().window(&all).to_vec();
        assert_eq!(window(1, 3), [1, 2, 3]);
        assert_eq!(window(3, 3), [7]);
        assert_eq!(window(4, 3), Vec::<u32>::new());
        assert_eq!(window(1, 50), all);
        assert_eq!(Paging::new(0, 3), None);
        assert_eq!(Paging::new(1, 51), None);
        assert_eq!(Paging::default(), Paging::new(1, 20).unwrap());
    }

    #[test]
    fn documents_the_arguments_with_their_bounds() {
        let [page, per_page, after] = Paging::ARGUMENTS else {
            panic!("three arguments")
        };
        assert_eq!((after.name, after.required), ("after", false));
        assert_eq!(
            (page.name, page.default, page.maximum),
            ("page", Some("1"), Some(1e6))
        );
        assert_eq!((per_page.name, per_page.maximum), ("per_page", Some(50.0)));
        assert_eq!(
            per_page.default_text.and_then(|text| text()),
            Some("20".to_owned())
        );
        assert!(!page.required && !per_page.required);
        assert_eq!(
            (page.source, per_page.source),
            (Source::Query, Source::Query)
        );
    }
}
