//! Interval literals as PostgreSQL prints them (`IntervalStyle = postgres`): `'24 hours'` is stored and
//! printed as `'24:00:00'`, `'1 week'` as `'7 days'`, `'1 year 2 months'` as `'1 year 2 mons'`.

const MICROS_PER_SECOND: f64 = 1_000_000.0;

/// The text PostgreSQL prints for an interval written as `text`, or `None` for forms this does not read
/// (ISO 8601, SQL-standard `1-2`, ...), which are then compared as written.
pub fn normalize(text: &str) -> Option<String> {
    let (mut months, mut days, mut micros) = (0i64, 0i64, 0f64);
    let mut tokens = text.trim().trim_start_matches('@').split_whitespace().peekable();
    let mut seen_any = false;
    while let Some(token) = tokens.next() {
        if token.eq_ignore_ascii_case("ago") {
            if tokens.peek().is_some() {
                return None;
            }
            (months, days, micros) = (-months, -days, -micros);
            break;
        }
        if token.contains(':') {
            micros += clock_micros(token)?;
            seen_any = true;
            continue;
        }
        // a number, either followed by its unit or glued to it (`10min`)
        let split = token.find(|c: char| c.is_ascii_alphabetic()).unwrap_or(token.len());
        let (number, glued_unit) = token.split_at(split);
        let value: f64 = number.parse().ok()?;
        let unit = if glued_unit.is_empty() { tokens.next()? } else { glued_unit };
        match unit_of(unit)? {
            Unit::Months(factor) => {
                let total = value * factor as f64;
                months += total.trunc() as i64;
                // fractional months spill into days, as PostgreSQL does
                let spill_days = total.fract() * 30.0;
                days += spill_days.trunc() as i64;
                micros += spill_days.fract() * 86_400.0 * MICROS_PER_SECOND;
            }
            Unit::Days(factor) => {
                let total = value * factor as f64;
                days += total.trunc() as i64;
                micros += total.fract() * 86_400.0 * MICROS_PER_SECOND;
            }
            Unit::Micros(factor) => micros += value * factor,
        }
        seen_any = true;
    }
    seen_any.then(|| print(months, days, micros.round() as i64))
}

enum Unit {
    Months(i64),
    Days(i64),
    Micros(f64),
}

fn unit_of(unit: &str) -> Option<Unit> {
    let unit = unit.to_ascii_lowercase();
    Some(match unit.as_str() {
        "millennium" | "millennia" | "millenniums" | "mil" | "mils" => Unit::Months(12_000),
        "century" | "centuries" | "cent" | "c" => Unit::Months(1_200),
        "decade" | "decades" | "dec" | "decs" => Unit::Months(120),
        "year" | "years" | "yr" | "yrs" | "y" => Unit::Months(12),
        "month" | "months" | "mon" | "mons" => Unit::Months(1),
        "week" | "weeks" | "w" => Unit::Days(7),
        "day" | "days" | "d" => Unit::Days(1),
        "hour" | "hours" | "hr" | "hrs" | "h" => Unit::Micros(3_600.0 * MICROS_PER_SECOND),
        "minute" | "minutes" | "min" | "mins" | "m" => Unit::Micros(60.0 * MICROS_PER_SECOND),
        "second" | "seconds" | "sec" | "secs" | "s" => Unit::Micros(MICROS_PER_SECOND),
        "millisecond" | "milliseconds" | "ms" | "msec" | "msecs" => Unit::Micros(1_000.0),
        "microsecond" | "microseconds" | "us" | "usec" | "usecs" => Unit::Micros(1.0),
        _ => return None,
    })
}

/// `[-]HH:MM[:SS[.ffffff]]`
fn clock_micros(token: &str) -> Option<f64> {
    let (sign, token) = match token.strip_prefix('-') {
        Some(rest) => (-1.0, rest),
        None => (1.0, token.strip_prefix('+').unwrap_or(token)),
    };
    let mut parts = token.split(':');
    let hours: f64 = parts.next()?.parse().ok()?;
    let minutes: f64 = parts.next()?.parse().ok()?;
    let seconds: f64 = parts.next().map_or(Some(0.0), |s| s.parse().ok())?;
    if parts.next().is_some() {
        return None;
    }
    Some(sign * ((hours * 60.0 + minutes) * 60.0 + seconds) * MICROS_PER_SECOND)
}

fn print(months: i64, days: i64, micros: i64) -> String {
    let mut parts = Vec::new();
    let (years, months) = (months / 12, months % 12);
    for (value, singular, plural) in [(years, "year", "years"), (months, "mon", "mons"), (days, "day", "days")] {
        if value != 0 {
            parts.push(format!("{value} {}", if value == 1 { singular } else { plural }));
        }
    }
    if micros != 0 || parts.is_empty() {
        let sign = if micros < 0 { "-" } else { "" };
        let micros = micros.unsigned_abs();
        let seconds = micros / 1_000_000;
        let fraction = micros % 1_000_000;
        let mut clock = format!("{sign}{:02}:{:02}:{:02}", seconds / 3600, seconds / 60 % 60, seconds % 60);
        if fraction != 0 {
            clock.push_str(format!(".{fraction:06}").trim_end_matches('0'));
        }
        parts.push(clock);
    }
    parts.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Interval literals and what PostgreSQL 15 printed for them.
    const PRINTED: &[(&str, &str)] = &[
        ("1 day", "1 day"),
        ("24 hours", "24:00:00"),
        ("1 hour", "01:00:00"),
        ("2 days 3 hours", "2 days 03:00:00"),
        ("1 mon", "1 mon"),
        ("30 minutes", "00:30:00"),
        ("1 week", "7 days"),
        ("1 year 2 months", "1 year 2 mons"),
        ("90 seconds", "00:01:30"),
        ("1 day ago", "-1 days"),
        ("1.5 seconds", "00:00:01.5"),
        ("0 seconds", "00:00:00"),
        ("10min", "00:10:00"),
        ("01:30:00", "01:30:00"),
    ];

    #[test]
    fn intervals_print_like_postgres() {
        for (written, printed) in PRINTED {
            assert_eq!(normalize(written).as_deref(), Some(*printed), "{written}");
        }
        assert_eq!(normalize("P1D"), None);
    }
}
