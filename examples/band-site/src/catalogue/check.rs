//! The checks types cannot express: durations, codes, URLs, prices,
//! statuses and cross references.

use std::collections::HashSet;
use std::ops::Range;

use licensing::domain::ids::{Isrc, Upc};
use licensing::domain::statement::SalesMonth;
use licensing::store::{AlbumStatus, LicenseStatus, SaleFormat};
use pale::argument::WebUrl;
use toml::Spanned;

use super::error::Source;
use super::raw::{RawAlbum, RawArtist, RawCatalogue, RawCoverOf, RawSales, RawTrack};
use super::{
    Album, Artist, ArtistLinks, Catalogue, CatalogueError, CoverOf, SaleLine, Sales, Track,
    is_web_url,
};

/// Checks the raw catalogue, stopping at the first error: one clear error
/// at a time is what a musician fixes, and later checks (sales naming
/// albums) rely on the earlier ones.
pub(super) struct Checker<'a> {
    pub(super) source: &'a Source<'a>,
}

type Checked<T> = Result<T, CatalogueError>;

impl Checker<'_> {
    fn fail<T>(&self, span: Range<usize>, field: &str, message: impl Into<String>) -> Checked<T> {
        Err(self
            .source
            .error(span, Some(field.to_owned()), message.into()))
    }

    pub(super) fn check(&self, raw: RawCatalogue) -> Checked<Catalogue> {
        let artist = self.artist(&raw.artist)?;
        let mut keys = HashSet::new();
        let mut albums = Vec::with_capacity(raw.albums.len());
        for (i, album) in raw.albums.into_iter().enumerate() {
            let field = format!("albums[{i}]");
            if !keys.insert(album.id.get_ref().clone()) {
                return self.fail(
                    album.id.span(),
                    &format!("{field}.id"),
                    format!(
                        "the id `{}` is already used by another album",
                        album.id.get_ref()
                    ),
                );
            }
            albums.push(self.album(&field, album)?);
        }
        let mut sales = Vec::with_capacity(raw.sales.len());
        let mut reports = HashSet::new();
        for (i, report) in raw.sales.into_iter().enumerate() {
            let field = format!("sales[{i}]");
            let checked = self.sales(&field, report, &albums)?;
            if !reports.insert((checked.store.clone(), checked.month)) {
                return Err(self.source.error(
                    0..0,
                    Some(field),
                    format!("{} {} is reported twice", checked.store, checked.month),
                ));
            }
            sales.push(checked);
        }
        Ok(Catalogue {
            artist,
            albums,
            sales,
        })
    }

    fn text(&self, value: &Spanned<String>, field: &str, max: usize) -> Checked<String> {
        let text = value.get_ref().trim();
        if text.is_empty() {
            return self.fail(value.span(), field, "must not be empty");
        }
        if text.chars().count() > max {
            return self.fail(
                value.span(),
                field,
                format!("is longer than {max} characters"),
            );
        }
        Ok(text.to_owned())
    }

    fn url(&self, value: Option<&Spanned<String>>, field: &str) -> Checked<Option<String>> {
        let Some(value) = value else {
            return Ok(None);
        };
        match WebUrl::parse(value.get_ref()) {
            Ok(url) => Ok(Some(url.to_string())),
            Err(reason) => self.fail(value.span(), field, format!("is not a web link: {reason}")),
        }
    }

    fn artist(&self, raw: &RawArtist) -> Checked<Artist> {
        Ok(Artist {
            name: self.text(&raw.name, "artist.name", 200)?,
            bio: raw.bio.trim().to_owned(),
            email: raw.email.trim().to_owned(),
            links: ArtistLinks {
                bandcamp: self.url(raw.links.bandcamp.as_ref(), "artist.links.bandcamp")?,
                spotify: self.url(raw.links.spotify.as_ref(), "artist.links.spotify")?,
                website: self.url(raw.links.website.as_ref(), "artist.links.website")?,
            },
        })
    }

    fn album(&self, field: &str, raw: RawAlbum) -> Checked<Album> {
        let key = raw.id.get_ref();
        let slug = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-';
        if key.is_empty() || key.len() > 64 || !key.chars().all(slug) {
            return self.fail(
                raw.id.span(),
                &format!("{field}.id"),
                "must be a short slug of lowercase letters, digits and `-`, such as `first-light`",
            );
        }
        let status = match &raw.status {
            None => AlbumStatus::Live,
            Some(s) => AlbumStatus::parse(s.get_ref()).ok_or_else(|| {
                self.source.error(
                    s.span(),
                    Some(format!("{field}.status")),
                    "must be `live`, `submitted` or `draft`".to_owned(),
                )
            })?,
        };
        let release_date = match &raw.released {
            None if status != AlbumStatus::Draft => {
                return self.fail(
                    raw.title.span(),
                    &format!("{field}.released"),
                    "is missing: a released album needs its release date (`released = 2024-05-17`)",
                );
            }
            None => None,
            Some(value) => Some(self.date(value, &format!("{field}.released"))?),
        };
        let upc = match &raw.upc {
            None => None,
            Some(u) => Some(
                Upc::parse(u.get_ref())
                    .or_else(|reason| self.fail(u.span(), &format!("{field}.upc"), reason))?,
            ),
        };
        let cover = match &raw.cover {
            None => None,
            Some(c) if is_web_url(c.get_ref()) => self.url(Some(c), &format!("{field}.cover"))?,
            Some(c) => Some(self.cover_path(c, &format!("{field}.cover"))?),
        };
        if raw.tracks.is_empty() && status != AlbumStatus::Draft {
            return self.fail(
                raw.id.span(),
                &format!("{field}.tracks"),
                "an album that is not a draft needs at least one track (`[[albums.tracks]]`)",
            );
        }
        let tracks = raw
            .tracks
            .into_iter()
            .enumerate()
            .map(|(i, t)| self.track(&format!("{field}.tracks[{i}]"), t, status))
            .collect::<Checked<_>>()?;
        Ok(Album {
            key: key.clone(),
            title: self.text(&raw.title, &format!("{field}.title"), 200)?,
            release_date,
            upc,
            price_cents: self.price(&raw.price, &format!("{field}.price"))?,
            cover,
            bandcamp: self.url(raw.bandcamp.as_ref(), &format!("{field}.bandcamp"))?,
            spotify: self.url(raw.spotify.as_ref(), &format!("{field}.spotify"))?,
            status,
            tracks,
        })
    }

    fn date(&self, value: &Spanned<toml::value::Datetime>, field: &str) -> Checked<time::Date> {
        let datetime = value.get_ref();
        let (Some(date), None) = (datetime.date, datetime.time) else {
            return self.fail(value.span(), field, "must be a date such as 2024-05-17");
        };
        let month = time::Month::try_from(date.month)
            .or_else(|_| self.fail(value.span(), field, "has no such month"))?;
        time::Date::from_calendar_date(i32::from(date.year), month, date.day)
            .or_else(|_| self.fail(value.span(), field, "is not a day of the calendar"))
    }

    /// `"9.99"`, `"10"` or `"0.50"`: dollars and cents, no floats.
    fn price(&self, value: &Spanned<String>, field: &str) -> Checked<u32> {
        let text = value.get_ref().trim().trim_start_matches('$');
        let (whole, cents) = text.split_once('.').unwrap_or((text, "00"));
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        let parsed = (digits(whole) && digits(cents) && cents.len() == 2 && whole.len() <= 4)
            .then(|| {
                whole
                    .parse::<u32>()
                    .ok()?
                    .checked_mul(100)?
                    .checked_add(cents.parse().ok()?)
            })
            .flatten();
        match parsed {
            Some(cents) if cents <= 100_000 => Ok(cents),
            _ => self.fail(
                value.span(),
                field,
                "must be a price in dollars such as \"9.99\" (at most \"1000.00\")",
            ),
        }
    }

    fn cover_path(&self, value: &Spanned<String>, field: &str) -> Checked<String> {
        let path = value.get_ref();
        let ok_segment = |s: &str| {
            !s.is_empty()
                && s != "."
                && s != ".."
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        };
        let ext = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
        if !path.split('/').all(ok_segment)
            || !matches!(
                ext.as_deref(),
                Some("svg" | "png" | "jpg" | "jpeg" | "webp" | "gif")
            )
        {
            return self.fail(
                value.span(),
                field,
                "must be an http(s) URL or a path beside the catalogue such as \
                 `covers/first-light.svg` (letters, digits, `-`, `_`; an image extension)",
            );
        }
        Ok(path.clone())
    }

    fn track(&self, field: &str, raw: RawTrack, status: AlbumStatus) -> Checked<Track> {
        let duration_s = parse_duration(raw.duration.get_ref()).ok_or_else(|| {
            self.source.error(
                raw.duration.span(),
                Some(format!("{field}.duration")),
                "must be minutes and seconds such as \"4:05\" (or \"1:02:03\")".to_owned(),
            )
        })?;
        let isrc = match &raw.isrc {
            None => None,
            Some(code) => Some(
                Isrc::parse(code.get_ref())
                    .or_else(|reason| self.fail(code.span(), &format!("{field}.isrc"), reason))?,
            ),
        };
        let cover_of = match raw.cover_of {
            None => None,
            Some(cover) => Some(self.cover_of(&format!("{field}.cover_of"), cover, status)?),
        };
        Ok(Track {
            title: self.text(&raw.title, &format!("{field}.title"), 200)?,
            duration_s,
            isrc,
            cover_of,
        })
    }

    fn cover_of(&self, field: &str, raw: RawCoverOf, status: AlbumStatus) -> Checked<CoverOf> {
        let writers: Vec<String> = raw
            .writers
            .get_ref()
            .iter()
            .map(|w| w.trim().to_owned())
            .collect();
        if writers.is_empty() || writers.iter().any(String::is_empty) {
            return self.fail(
                raw.writers.span(),
                &format!("{field}.writers"),
                "must name the song's writers, such as [\"Stephen Foster\"] or [\"Traditional\"]",
            );
        }
        let license = match (&raw.license, status) {
            (Some(l), AlbumStatus::Draft) => {
                return self.fail(
                    l.span(),
                    &format!("{field}.license"),
                    "a draft album has no licenses yet: remove it",
                );
            }
            (None, AlbumStatus::Draft) => None,
            (None, _) => Some(LicenseStatus::Active),
            (Some(l), _) => Some(LicenseStatus::parse(l.get_ref()).ok_or_else(|| {
                self.source.error(
                    l.span(),
                    Some(format!("{field}.license")),
                    "must be `active`, `notice_sent`, `pending` or `needs_negotiation`".to_owned(),
                )
            })?),
        };
        if status == AlbumStatus::Live
            && let (Some(l), Some(state)) = (&raw.license, license)
            && state != LicenseStatus::Active
        {
            return self.fail(
                l.span(),
                &format!("{field}.license"),
                "a live album's covers must be licensed (`active`); \
                 set the album's `status = \"submitted\"` until they are",
            );
        }
        Ok(CoverOf {
            title: self.text(&raw.title, &format!("{field}.title"), 200)?,
            writers,
            publisher: raw
                .publisher
                .map(|p| p.trim().to_owned())
                .filter(|p| !p.is_empty())
                .unwrap_or_else(|| "Public domain".to_owned()),
            lyrics_changed: raw.lyrics_changed,
            license,
        })
    }

    fn sales(&self, field: &str, raw: RawSales, albums: &[Album]) -> Checked<Sales> {
        let store = self.text(&raw.store, &format!("{field}.store"), 100)?;
        let month = SalesMonth::parse(raw.month.get_ref())
            .or_else(|reason| self.fail(raw.month.span(), &format!("{field}.month"), reason))?;
        let mut lines = Vec::with_capacity(raw.lines.len());
        for (i, line) in raw.lines.into_iter().enumerate() {
            let at = format!("{field}.lines[{i}]");
            let Some(album) = albums.iter().find(|a| &a.key == line.album.get_ref()) else {
                return self.fail(
                    line.album.span(),
                    &format!("{at}.album"),
                    format!("no album has the id `{}`", line.album.get_ref()),
                );
            };
            if album.status != AlbumStatus::Live {
                return self.fail(
                    line.album.span(),
                    &format!("{at}.album"),
                    "only a live album can have sales",
                );
            }
            if let Some(track) = &line.track
                && !(1..=album.tracks.len()).contains(&(*track.get_ref() as usize))
            {
                return self.fail(
                    track.span(),
                    &format!("{at}.track"),
                    format!("the album has tracks 1 to {}", album.tracks.len()),
                );
            }
            let format = SaleFormat::parse(line.format.get_ref()).ok_or_else(|| {
                self.source.error(
                    line.format.span(),
                    Some(format!("{at}.format")),
                    "must be `download` or `physical`".to_owned(),
                )
            })?;
            lines.push(SaleLine {
                album: album.key.clone(),
                track: line.track.map(Spanned::into_inner),
                format,
                units: line.units,
            });
        }
        Ok(Sales {
            store,
            month,
            lines,
        })
    }
}

/// `m:ss` or `h:mm:ss` as seconds (at least one).
fn parse_duration(text: &str) -> Option<u32> {
    let parts: Vec<&str> = text.trim().split(':').collect();
    let number = |s: &str| {
        (!s.is_empty() && s.len() <= 3 && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<u32>().ok())
            .flatten()
    };
    let seconds = match parts.as_slice() {
        [m, s] if s.len() == 2 => number(m)? * 60 + number(s).filter(|s| *s < 60)?,
        [h, m, s] if m.len() == 2 && s.len() == 2 => {
            number(h)? * 3600
                + number(m).filter(|m| *m < 60)? * 60
                + number(s).filter(|s| *s < 60)?
        }
        _ => return None,
    };
    (seconds >= 1).then_some(seconds)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_are_minutes_and_seconds() {
        assert_eq!(parse_duration("4:05"), Some(245));
        assert_eq!(parse_duration("0:59"), Some(59));
        assert_eq!(parse_duration("1:02:03"), Some(3723));
        for bad in ["", "4", "4:5", "4:60", "0:00", "a:bc", "-1:00", "1:2:3"] {
            assert_eq!(parse_duration(bad), None, "{bad}");
        }
    }
}
