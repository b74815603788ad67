//! Small value types used in front matter and config: calendar dates, durations and review
//! periods, each parsed from the text trainers write (`2026-03-01`, `2h30m`, `12 months`).

use std::fmt;

/// A calendar date (no time zone: curricula are reviewed by the day).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl Date {
    /// Parses `YYYY-MM-DD`, checking that the day exists.
    pub fn parse(text: &str) -> Option<Date> {
        let text = text.trim();
        let mut parts = text.splitn(3, '-');
        let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return None;
        }
        let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if !(all_digits(y) && all_digits(m) && all_digits(d)) {
            return None;
        }
        let date = Date {
            year: y.parse().ok()?,
            month: m.parse().ok()?,
            day: d.parse().ok()?,
        };
        let valid = (1..=12).contains(&date.month)
            && date.day >= 1
            && date.day <= days_in_month(date.year, date.month);
        valid.then_some(date)
    }

    /// This date moved by whole months, clamping the day (31 January + 1 month = 28/29 February).
    pub fn add_months(self, months: i32) -> Date {
        let index = self.year * 12 + (self.month as i32 - 1) + months;
        let (year, month) = (index.div_euclid(12), index.rem_euclid(12) as u32 + 1);
        Date {
            year,
            month,
            day: self.day.min(days_in_month(year, month)),
        }
    }

    /// Days since 1970-01-01 (negative before), for day arithmetic.
    pub fn days_since_epoch(self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    pub fn from_days_since_epoch(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }

    /// Today in UTC, from the system clock.
    pub fn today() -> Date {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0);
        Date::from_days_since_epoch(secs.div_euclid(86_400))
    }
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// A length of time in minutes, written `3h`, `90m`, `2h30m` or `1h 30m`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Minutes(pub u32);

impl Minutes {
    pub fn parse(text: &str) -> Option<Minutes> {
        let text: String = text
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_lowercase();
        if text.is_empty() {
            return None;
        }
        let mut total: u32 = 0;
        let mut number = String::new();
        let mut seen_unit = false;
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            if c.is_ascii_digit() {
                number.push(c);
                continue;
            }
            let mut unit = c.to_string();
            while let Some(&next) = chars.peek() {
                if next.is_ascii_alphabetic() {
                    unit.push(next);
                    chars.next();
                } else {
                    break;
                }
            }
            let n: u32 = number.parse().ok()?;
            number.clear();
            let factor = match unit.as_str() {
                "h" | "hr" | "hrs" | "hour" | "hours" => 60,
                "m" | "min" | "mins" | "minute" | "minutes" => 1,
                _ => return None,
            };
            total = total.checked_add(n.checked_mul(factor)?)?;
            seen_unit = true;
        }
        (number.is_empty() && seen_unit && total > 0).then_some(Minutes(total))
    }

    pub fn hours(self) -> u32 {
        self.0 / 60
    }

    pub fn minutes(self) -> u32 {
        self.0 % 60
    }
}

/// A review window such as `12 months`, `1 year`, `6 weeks` or `90 days`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    Days(u32),
    Months(u32),
}

impl Period {
    pub fn parse(text: &str) -> Option<Period> {
        let text = text.trim().to_lowercase();
        let split = text.find(|c: char| !c.is_ascii_digit())?;
        let (n, unit) = text.split_at(split);
        let n: u32 = n.parse().ok().filter(|n| *n > 0)?;
        match unit.trim() {
            "day" | "days" => Some(Period::Days(n)),
            "week" | "weeks" => Some(Period::Days(n.checked_mul(7)?)),
            "month" | "months" => Some(Period::Months(n)),
            "year" | "years" => Some(Period::Months(n.checked_mul(12)?)),
            _ => None,
        }
    }

    /// The date this period after `date`.
    pub fn after(self, date: Date) -> Date {
        match self {
            Period::Days(n) => Date::from_days_since_epoch(date.days_since_epoch() + i64::from(n)),
            Period::Months(n) => date.add_months(n as i32),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_validated() {
        assert_eq!(
            Date::parse("2026-03-01"),
            Some(Date {
                year: 2026,
                month: 3,
                day: 1
            })
        );
        assert_eq!(Date::parse("2026-02-30"), None);
        assert_eq!(
            Date::parse("2024-02-29").map(|d| d.to_string()),
            Some("2024-02-29".into())
        );
        assert_eq!(Date::parse("1/3/2026"), None);
    }

    #[test]
    fn day_arithmetic_round_trips() {
        let d = Date::parse("2026-11-23").expect("valid");
        assert_eq!(Date::from_days_since_epoch(d.days_since_epoch()), d);
        assert_eq!(Date::from_days_since_epoch(0).to_string(), "1970-01-01");
        assert_eq!(
            Period::parse("12 months").map(|p| p.after(d).to_string()),
            Some("2027-11-23".into())
        );
        assert_eq!(
            Date::parse("2026-01-31").map(|d| d.add_months(1).to_string()),
            Some("2026-02-28".into())
        );
    }

    #[test]
    fn durations_parse_as_trainers_write_them() {
        assert_eq!(Minutes::parse("3h"), Some(Minutes(180)));
        assert_eq!(Minutes::parse("90m"), Some(Minutes(90)));
        assert_eq!(Minutes::parse("2h30m"), Some(Minutes(150)));
        assert_eq!(Minutes::parse("1h 30 min"), Some(Minutes(90)));
        assert_eq!(Minutes::parse("3"), None);
        assert_eq!(Minutes::parse("three hours"), None);
    }
}
