//! The CSV file `licensing import-compositions` loads: a catalogue of
//! compositions, one a line, with their writers and publishers.
//!
//! ```text
//! title,iswc,released,writers,publishers
//! Hallelujah,T-034.524.680-1,true,Leonard Cohen,Harbor Lane Music=10000
//! Yesterday,,true,John Lennon;Paul McCartney,Northern Songs=5000;Sony=5000
//! ```
//!
//! - `title`: the title (not blank).
//! - `iswc`: the work's ISWC, or empty.
//! - `released`: `true` or `false` (`1`, `0` too).
//! - `writers`: the writers in credit order, separated by `;`.
//! - `publishers`: `name=share` pairs separated by `;`, each share in
//!   hundredths of a percent (the shares sum to `10000`); the last `=`
//!   of a pair splits it, so a name may hold `=` but not `;`.
//!
//! The header line is required and must be these five names in this
//! order (fields are RFC 4180: quote one that holds a comma). This module
//! reads the shape of each line; the rules a composition obeys (shares
//! that sum to 100%, an ISWC not taken) are the store's, checked for
//! every row before anything is written.

use std::io::Read;

use crate::domain::ids::Iswc;
use crate::store::NewComposition;

/// The header line's names, in order.
pub const COLUMNS: [&str; 5] = ["title", "iswc", "released", "writers", "publishers"];

/// The compositions of a CSV file, or what is wrong with the first bad
/// line (`line 3: …`, counting the header as line 1).
pub fn read(input: impl Read) -> Result<Vec<NewComposition>, String> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(input);
    let header = reader.headers().map_err(|e| format!("line 1: {e}"))?;
    if header.iter().map(str::trim).ne(COLUMNS) {
        return Err(format!(
            "line 1: the header must be `{}`",
            COLUMNS.join(",")
        ));
    }
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        let record = record.map_err(|e| format!("line {line}: {e}"))?;
        rows.push(row(&record).map_err(|e| format!("line {line}: {e}"))?);
    }
    Ok(rows)
}

/// The CSV line of a batch row (`i` from 0), for the store's errors.
pub fn line_of_row(i: usize) -> usize {
    i + 2
}

fn row(record: &csv::StringRecord) -> Result<NewComposition, String> {
    let field = |i: usize| record.get(i).unwrap_or("").trim();
    let iswc = match field(1) {
        "" => None,
        text => Some(Iswc::parse(text).map_err(|e| format!("iswc: {e}"))?),
    };
    let released = match field(2) {
        "true" | "1" => true,
        "false" | "0" => false,
        other => return Err(format!("released: {other:?} is not true or false")),
    };
    let writers = field(3)
        .split(';')
        .map(|w| w.trim().to_owned())
        .filter(|w| !w.is_empty())
        .collect();
    let publishers = field(4)
        .split(';')
        .filter(|p| !p.trim().is_empty())
        .map(publisher)
        .collect::<Result<_, _>>()?;
    Ok(NewComposition {
        title: field(0).to_owned(),
        iswc,
        writers,
        released,
        publishers,
    })
}

fn publisher(pair: &str) -> Result<(String, u32), String> {
    let (name, share) = pair
        .rsplit_once('=')
        .ok_or_else(|| format!("publishers: {pair:?} is not name=share"))?;
    let share = share.trim().parse().map_err(|_| {
        format!(
            "publishers: {:?} is not a share in hundredths of a percent",
            share.trim()
        )
    })?;
    Ok((name.trim().to_owned(), share))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_become_compositions() {
        let csv = "title,iswc,released,writers,publishers\n\
                   \"Hello, World\",T-034.524.680-1,true,A; B ,P=6000;Q=R=4000\n\
                   Solo,,0,C,S=10000\n";
        let rows = read(csv.as_bytes()).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].title, "Hello, World");
        assert_eq!(rows[0].iswc.unwrap().to_string(), "T-034.524.680-1");
        assert!(rows[0].released && !rows[1].released);
        assert_eq!(rows[0].writers, ["A", "B"]);
        assert_eq!(
            rows[0].publishers,
            [("P".to_owned(), 6000), ("Q=R".to_owned(), 4000)]
        );
        assert_eq!(rows[1].iswc, None);
    }

    #[test]
    fn bad_lines_are_named() {
        let head = "title,iswc,released,writers,publishers\n";
        for (body, error) in [
            (
                "T,,maybe,W,P=10000\n",
                "line 2: released: \"maybe\" is not true or false",
            ),
            (
                "T,,true,W,P=10000\nU,,true,W,P\n",
                "line 3: publishers: \"P\" is not name=share",
            ),
            (
                "T,,true,W,P=ten\n",
                "line 2: publishers: \"ten\" is not a share in hundredths of a percent",
            ),
            (
                "T,X,true,W,P=10000\n",
                "line 2: iswc: an ISWC looks like T-123.456.789-C",
            ),
        ] {
            let got = read(format!("{head}{body}").as_bytes()).unwrap_err();
            assert_eq!(got, error);
        }
        assert_eq!(
            read("title,writers\n".as_bytes()).unwrap_err(),
            "line 1: the header must be `title,iswc,released,writers,publishers`"
        );
    }
}
