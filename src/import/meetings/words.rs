//! What an event's words say: whether it carries a video-call link, whether its location is a
//! place, and the first lines of its description with long links made short.

/// Hosts of video-call links (a host ending in one of these counts).
const VIDEO_HOSTS: &[&str] = &[
    "meet.google.com",
    "zoom.us",
    "zoom.com",
    "zoomgov.com",
    "teams.microsoft.com",
    "teams.live.com",
    "webex.com",
    "whereby.com",
    "gotomeeting.com",
    "meet.goto.com",
    "meet.jit.si",
    "facetime.apple.com",
    "join.skype.com",
    "bluejeans.com",
    "chime.aws",
];

/// Locations that name a video service rather than a place (as Outlook and Google write them).
const VIDEO_PLACES: &[&str] = &[
    "microsoft teams meeting",
    "microsoft teams-besprechung",
    "réunion microsoft teams",
    "microsoft teams",
    "teams meeting",
    "google meet",
    "zoom",
    "zoom meeting",
    "webex",
    "facetime",
    "skype",
    "skype meeting",
];

/// The first video-call link in `text`, made short ("meet.google.com/abc-defg-hij").
pub(super) fn video_link(text: &str) -> Option<String> {
    links(text)
        .find(|link| is_video_host(host_of(link)))
        .map(short_link)
}

fn is_video_host(host: &str) -> bool {
    let host = host.to_ascii_lowercase();
    VIDEO_HOSTS
        .iter()
        .any(|known| host == *known || host.ends_with(&format!(".{known}")))
}

/// Whether a location names a video service ("Microsoft Teams Meeting") or is a link.
pub(super) fn location_is_online(location: &str) -> bool {
    let folded = location.trim().trim_end_matches('.').to_lowercase();
    VIDEO_PLACES.contains(&folded.as_str()) || links(location).next().is_some()
}

/// Whether a location is only a phone number ("+49 30 1234 567", "tel:+4930…").
pub(super) fn location_is_phone(location: &str) -> bool {
    let trimmed = location.trim();
    let number = trimmed
        .strip_prefix("tel:")
        .or_else(|| trimmed.strip_prefix("TEL:"))
        .unwrap_or(trimmed);
    let digits = number.chars().filter(char::is_ascii_digit).count();
    digits >= 6
        && number
            .chars()
            .all(|c| c.is_ascii_digit() || " +-()./".contains(c))
}

/// Links in text: words starting with http:// or https://.
fn links(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| c.is_whitespace() || "<>\"'()[]".contains(c))
        .filter(|word| {
            let lower = word.get(..8).unwrap_or(word).to_ascii_lowercase();
            lower.starts_with("https://") || lower.starts_with("http://")
        })
        .map(|word| word.trim_end_matches(['.', ',', ';', ':', '!', '?']))
}

fn host_of(link: &str) -> &str {
    let rest = link.split_once("://").map_or(link, |(_, rest)| rest);
    let host = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
    host.split(':').next().unwrap_or(host)
}

/// A link without its scheme and query, at most 48 characters ("zoom.us/j/8123456789").
pub(super) fn short_link(link: &str) -> String {
    let rest = link.split_once("://").map_or(link, |(_, rest)| rest);
    let rest = rest.split(['?', '#']).next().unwrap_or(rest);
    let rest = rest
        .strip_prefix("www.")
        .unwrap_or(rest)
        .trim_end_matches('/');
    if rest.chars().count() <= 48 {
        rest.to_owned()
    } else {
        format!("{}…", rest.chars().take(47).collect::<String>())
    }
}

/// Lines that start the invitation text a calendar adds under what people wrote.
fn is_boilerplate(line: &str) -> bool {
    let trimmed = line.trim();
    trimmed.starts_with("-::~")
        || (trimmed.len() >= 10 && trimmed.chars().all(|c| c == '_' || c == '-' || c == '='))
        || trimmed.eq_ignore_ascii_case("Microsoft Teams meeting")
        || trimmed.starts_with("Join with Google Meet")
        || trimmed.starts_with("Join Zoom Meeting")
}

/// Most lines of a description kept.
const MAX_LINES: usize = 8;
/// Most characters of a description kept.
const MAX_CHARS: usize = 600;

/// The first lines of a description, up to the invitation text a calendar appends; blank
/// lines squeezed, links made short.
pub(super) fn first_lines(description: &str) -> String {
    let mut kept: Vec<String> = Vec::new();
    for line in description.lines() {
        if is_boilerplate(line) {
            break;
        }
        let line = shorten_links(line.trim_end());
        if line.trim().is_empty() && kept.last().is_none_or(|l| l.is_empty()) {
            continue;
        }
        kept.push(if line.trim().is_empty() {
            String::new()
        } else {
            line
        });
        if kept.len() == MAX_LINES {
            break;
        }
    }
    while kept.last().is_some_and(|l| l.is_empty()) {
        kept.pop();
    }
    let text = kept.join("\n");
    if text.chars().count() <= MAX_CHARS {
        text
    } else {
        format!("{}…", text.chars().take(MAX_CHARS - 1).collect::<String>())
    }
}

fn shorten_links(line: &str) -> String {
    let mut out = line.to_owned();
    for link in links(line) {
        if link.len() > 40 {
            out = out.replacen(link, &short_link(link), 1);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_video_links_and_makes_them_short() {
        assert_eq!(
            video_link("Join: https://meet.google.com/abc-defg-hij?authuser=0").as_deref(),
            Some("meet.google.com/abc-defg-hij")
        );
        assert_eq!(
            video_link("<https://us02web.zoom.us/j/81234567890?pwd=QWERTY>").as_deref(),
            Some("us02web.zoom.us/j/81234567890")
        );
        assert_eq!(video_link("see https://example.com/zoom.us"), None);
        assert_eq!(video_link("no link here"), None);
    }

    #[test]
    fn tells_places_from_services_and_numbers() {
        assert!(location_is_online("Microsoft Teams Meeting"));
        assert!(location_is_online("https://whereby.com/bakery"));
        assert!(!location_is_online("Bäckerei Lima, Hauptstr. 5, Berlin"));
        assert!(location_is_phone("+49 30 1234 567"));
        assert!(location_is_phone("tel:+493012345"));
        assert!(!location_is_phone("Room 12"));
    }

    #[test]
    fn keeps_the_first_lines_before_the_invitation() {
        let text = "Prices for spring.\n\n\nBring the samples: https://drive.example.com/folders/abcdefghijklmnopqrstuvwxyz0123456789\n-::~:~::~:~:~::-\nJoin with Google Meet: https://meet.google.com/x\n";
        assert_eq!(
            first_lines(text),
            "Prices for spring.\n\nBring the samples: drive.example.com/folders/abcdefghijklmnopqrstu…"
        );
    }
}
