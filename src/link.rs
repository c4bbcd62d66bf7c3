//! Shareable links: a lab's setup as `key=value&…` (the part of the URL after
//! `#`), read back value by value. A value that is missing, unknown, malformed
//! or out of range is left out and named, so the page can say what it ignored
//! and open with the defaults for those.
use crate::tr;

/// The pairs of a link, in order, percent-decoded.
pub fn parse(query: &str) -> Vec<(String, String)> {
    form_urlencoded::parse(query.trim_start_matches('#').as_bytes()).map(|(k, v)| (k.into_owned(), v.into_owned())).collect()
}

/// Writes pairs as a link.
pub fn write(pairs: &[(&str, String)]) -> String {
    let mut out = form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        out.append_pair(k, v);
    }
    out.finish()
}

/// Reads the values of a link, remembering the keys whose values were not used.
pub struct LinkReader {
    pairs: Vec<(String, String)>,
    ignored: Vec<String>,
}

impl LinkReader {
    pub fn new(query: &str) -> LinkReader {
        LinkReader { pairs: parse(query), ignored: Vec::new() }
    }

    /// The raw value of `key`, taken out of the link.
    pub fn take(&mut self, key: &str) -> Option<String> {
        let at = self.pairs.iter().position(|(k, _)| k == key)?;
        Some(self.pairs.remove(at).1)
    }

    /// The value of `key` read by `read`; a value it refuses is named as ignored.
    pub fn read<T>(&mut self, key: &str, read: impl FnOnce(&str) -> Result<T, String>) -> Option<T> {
        let raw = self.take(key)?;
        match read(&raw) {
            Ok(value) => Some(value),
            Err(_) => {
                self.ignored.push(key.to_string());
                None
            }
        }
    }

    /// Names `key` as ignored (its value was read but could not be used).
    pub fn ignore(&mut self, key: &str) {
        self.ignored.push(key.to_string());
    }

    /// The notice for the page: empty when everything was used. Keys nobody read count as ignored.
    pub fn notice(mut self) -> String {
        let unknown: Vec<String> = self.pairs.drain(..).map(|(k, _)| k).collect();
        let mut named: Vec<String> = Vec::new();
        for key in self.ignored.drain(..).chain(unknown) {
            if !named.contains(&key) {
                named.push(key);
            }
        }
        self.ignored = named;
        if self.ignored.is_empty() {
            String::new()
        } else {
            tr!("The link's {names} could not be used; the defaults stand in for them.", names = self.ignored.join(", "))
        }
    }
}

/// A finite number.
pub fn number(raw: &str) -> Result<f64, String> {
    raw.trim().parse::<f64>().ok().filter(|v| v.is_finite()).ok_or_else(|| tr!("{raw} is not a number", raw = raw))
}

/// A whole number.
pub fn count(raw: &str) -> Result<usize, String> {
    raw.trim().parse::<usize>().map_err(|_| tr!("{raw} is not a whole number", raw = raw))
}

/// The N comma-separated parts of `raw`, named by `form` ("lo,hi,updates") when there are not N.
pub fn parts<'a, const N: usize>(raw: &'a str, form: &str) -> Result<[&'a str; N], String> {
    let parts: Vec<&str> = raw.split(',').collect();
    parts.try_into().map_err(|_| tr!("{raw} is not {form}", raw = raw, form = form))
}

/// Two finite numbers "x,y".
pub fn pair(raw: &str) -> Result<[f64; 2], String> {
    let [x, y] = parts(raw, "two numbers x,y")?;
    Ok([number(x)?, number(y)?])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_round_trip_and_bad_ones_are_named() {
        let link = write(&[("surface", "bowl".into()), ("start", "0.1,-2.5".into()), ("lr", (0.1f64 / 3.0).to_string())]);
        let mut r = LinkReader::new(&format!("#{link}&lr=oops&what=1&lr=again"));
        assert_eq!(r.read("surface", |s| Ok::<_, String>(s.to_string())).as_deref(), Some("bowl"));
        assert_eq!(r.read("start", pair), Some([0.1, -2.5]));
        assert_eq!(parts::<3>("1,2,3", "a,b,c"), Ok(["1", "2", "3"]));
        assert_eq!(parts::<3>("1,2", "a,b,c"), Err("1,2 is not a,b,c".to_string()));
        assert!(pair("1,2,3").is_err(), "three numbers are not a pair");
        assert_eq!(r.read("lr", number), Some(0.1 / 3.0), "every digit survives");
        assert_eq!(r.read("lr", number), None, "the second lr is malformed");
        assert_eq!(r.read("t", count), None, "missing");
        assert_eq!(r.notice(), "The link's lr, what could not be used; the defaults stand in for them.");
        assert_eq!(LinkReader::new("").notice(), "");
        assert!(pair("1,nan").is_err() && number("1e999").is_err() && count("-3").is_err());
    }
}
