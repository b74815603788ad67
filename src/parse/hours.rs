//! A referral's `hours`: `24h`, days and times (`Mon-Fri 09:00-17:00; Sat 09:00-12:00`),
//! or words casebook shows as written. The first two are read, so that the directory can
//! mark what answers at any hour, put it first, and say what is open now (Hong Kong time).

/// When a service answers.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub enum Hours {
    /// At any hour of every day (`24h`).
    AllDay { note: Option<String> },
    /// On these days at these times.
    Times {
        spans: Vec<Span>,
        note: Option<String>,
    },
    /// Words casebook does not read (`by appointment`).
    Text(String),
}

/// Days (0 = Monday … 6 = Sunday, `first..=last`) and the times on each, in minutes after
/// midnight.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Span {
    pub days: Vec<(u8, u8)>,
    pub times: Vec<(u16, u16)>,
}

pub const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// How to write hours, for hints.
pub const EXAMPLE: &str =
    "`hours: 24h`, or days and times such as `hours: \"Mon-Fri 09:00-17:00; Sat 09:00-12:00\"`";

impl Hours {
    pub fn all_day(&self) -> bool {
        matches!(self, Hours::AllDay { .. })
    }

    /// The spans as a short string a page's script reads to say what is open now:
    /// `0-4 0900-1700;5 0900-1200` (days from Monday = 0). Empty for other hours.
    pub fn machine(&self) -> String {
        let Hours::Times { spans, .. } = self else {
            return String::new();
        };
        let span = |s: &Span| {
            let days: Vec<String> = s.days.iter().map(|(a, b)| format!("{a}-{b}")).collect();
            let times: Vec<String> = s
                .times
                .iter()
                .map(|(a, b)| format!("{:02}{:02}-{:02}{:02}", a / 60, a % 60, b / 60, b % 60))
                .collect();
            format!("{} {}", days.join(","), times.join(","))
        };
        spans.iter().map(span).collect::<Vec<_>>().join(";")
    }
}

/// Reads `hours`. `Err` names what is wrong when the value starts like days and times but
/// is not.
pub fn parse(text: &str) -> Result<Hours, String> {
    let text = text.trim();
    let (body, note) = match text.strip_suffix(')').and_then(|t| t.rsplit_once('(')) {
        Some((body, note)) if !body.trim().is_empty() => {
            (body.trim(), Some(note.trim().to_string()))
        }
        _ => (text, None),
    };
    if body.eq_ignore_ascii_case("24h") {
        return Ok(Hours::AllDay { note });
    }
    let starts_with_day = body
        .get(..3)
        .is_some_and(|d| DAYS.contains(&d.to_ascii_lowercase().as_str()))
        || body.to_ascii_lowercase().starts_with("daily");
    if !starts_with_day {
        return Ok(Hours::Text(text.to_string()));
    }
    let mut spans = Vec::new();
    for group in body.split(';').map(str::trim).filter(|g| !g.is_empty()) {
        let (days, times) = group
            .split_once(char::is_whitespace)
            .ok_or_else(|| format!("`{group}` has days but no times"))?;
        spans.push(Span {
            days: parse_days(days)?,
            times: times
                .split([',', '&'])
                .flat_map(|t| t.split(" and "))
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(parse_times)
                .collect::<Result<_, _>>()?,
        });
    }
    Ok(Hours::Times { spans, note })
}

fn day(name: &str) -> Result<u8, String> {
    const NAMES: [&str; 7] = [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ];
    let lower = name.trim().trim_end_matches('.').to_ascii_lowercase();
    let bare = lower.strip_suffix('s').unwrap_or(&lower);
    (0..7)
        .find(|&i| [DAYS[i], NAMES[i]].contains(&bare) || DAYS[i] == lower)
        .map(|i| i as u8)
        .ok_or_else(|| format!("`{name}` is not a day: write Mon, Tue, Wed, Thu, Fri, Sat or Sun"))
}

fn parse_days(text: &str) -> Result<Vec<(u8, u8)>, String> {
    if text.eq_ignore_ascii_case("daily") {
        return Ok(vec![(0, 6)]);
    }
    text.split(',')
        .filter(|d| !d.is_empty())
        .map(|d| match d.split_once('-') {
            Some((a, b)) => {
                let (a, b) = (day(a)?, day(b)?);
                if a > b {
                    Err(format!("`{d}` runs backwards: write the earlier day first"))
                } else {
                    Ok((a, b))
                }
            }
            None => day(d).map(|a| (a, a)),
        })
        .collect()
}

fn parse_times(text: &str) -> Result<(u16, u16), String> {
    let clock = |t: &str| -> Option<u16> {
        let (h, m) = t.trim().split_once(':')?;
        let (h, m): (u16, u16) = (h.parse().ok()?, m.parse().ok()?);
        (h <= 24 && m < 60 && h * 60 + m <= 24 * 60).then_some(h * 60 + m)
    };
    let wrong =
        || format!("`{text}` is not a time span: write it on a 24-hour clock, as `09:00-17:30`");
    let (a, b) = text.split_once('-').ok_or_else(wrong)?;
    let (a, b) = (clock(a).ok_or_else(wrong)?, clock(b).ok_or_else(wrong)?);
    if a >= b {
        return Err(format!(
            "`{text}` ends before it starts: a span past midnight is two, as `Fri 20:00-24:00; Sat 00:00-02:00`"
        ));
    }
    Ok((a, b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_day_days_and_words() {
        assert_eq!(
            parse("24h (answered by 1823)"),
            Ok(Hours::AllDay {
                note: Some("answered by 1823".into())
            })
        );
        let h = parse("Mon-Fri 08:45-13:00, 14:00-17:30; Sat 09:00-12:00").unwrap();
        assert_eq!(h.machine(), "0-4 0845-1300,1400-1730;5-5 0900-1200");
        assert_eq!(
            parse("Advice sessions in the evenings"),
            Ok(Hours::Text("Advice sessions in the evenings".into()))
        );
        assert_eq!(
            parse("daily 10:00-22:00").unwrap().machine(),
            "0-6 1000-2200"
        );
        assert_eq!(
            parse("Sundays 10:00-17:00").unwrap().machine(),
            "6-6 1000-1700"
        );
        assert!(parse("Monkey 10:00-17:00").is_err());
    }

    #[test]
    fn mistakes_are_named() {
        assert!(
            parse("Mon-Fri 9am-5pm")
                .unwrap_err()
                .contains("24-hour clock")
        );
        assert!(
            parse("Fri-Mon 09:00-10:00")
                .unwrap_err()
                .contains("backwards")
        );
        assert!(
            parse("Mon 20:00-02:00")
                .unwrap_err()
                .contains("past midnight")
        );
        assert!(parse("Mon").unwrap_err().contains("no times"));
    }
}
