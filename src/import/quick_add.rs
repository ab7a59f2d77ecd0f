//! Quick add: text pasted into New contact — `Ana Lima <ana@lima.example>`,
//! `"Lima, Ana" <ana@lima.example>`, or the signature block under someone's e-mail — read
//! into the fields it can recognise, with the lines it could not place kept apart so the form
//! can say "not recognised: …". Then [`fill_empty`] puts what was found into a form's draft,
//! only where the person has typed nothing. Pure: no egui, no store.

use super::guess::{is_email, is_phone};
use crate::model::{Address, ContactDraft, Email, Phone};

/// What was recognised in a pasted text.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct QuickAdd {
    pub draft: ContactDraft,
    /// Web addresses found ("www.limabakery.example"); a contact has no field for them.
    pub websites: Vec<String>,
    /// Lines (or parts of lines between `|`) that fit no field.
    pub unrecognised: Vec<String>,
}

/// Reads pasted text: a `Name <e-mail>` line or a signature block.
pub fn read_pasted(text: &str) -> QuickAdd {
    let mut reader = Reader::default();
    for line in text.lines() {
        reader.line(line);
    }
    reader.finish()
}

#[derive(Default)]
struct Reader {
    found: QuickAdd,
    named: bool,
    /// A line that looks like a street, kept until a postcode line confirms the address.
    street: Option<String>,
}

impl Reader {
    fn line(&mut self, raw: &str) {
        let line = raw.trim().trim_start_matches('>').trim();
        if line.is_empty() || is_rule(line) || is_closing(line) {
            return;
        }
        for segment in segments(line) {
            self.segment(segment);
        }
    }

    fn segment(&mut self, text: &str) {
        if let Some((name, address)) = angle_form(text) {
            self.email(address);
            if !name.is_empty() && !self.named {
                self.name_from_header(&name);
            }
            return;
        }
        let (label, value) = split_label(text);
        let label = label.map(str::to_lowercase);
        let label = label.as_deref();
        if let Some(address) = email_value(label, value) {
            self.email(address);
        } else if let Some(site) = website_value(label, value) {
            self.found.websites.push(site);
        } else if let Some(phone) = phone_value(label, value) {
            self.found.draft.phones.push(phone);
        } else if !self.address_line(text) && !self.name_or_role(text) {
            self.found.unrecognised.push(text.to_owned());
        }
    }

    fn email(&mut self, address: String) {
        let emails = &mut self.found.draft.emails;
        if !emails
            .iter()
            .any(|e| e.address.eq_ignore_ascii_case(&address))
        {
            emails.push(Email {
                label: "work".into(),
                address,
            });
        }
    }

    /// The name of `Name <e-mail>`: "Lima, Ana" is the family name first.
    fn name_from_header(&mut self, name: &str) {
        match name.split_once(',') {
            Some((family, given)) if !is_credential(given) && !given.trim().is_empty() => {
                let (family, given) = (family.trim(), given.trim());
                self.found.draft.given_name = given.to_owned();
                self.found.draft.family_name = family.to_owned();
                self.found.draft.display_name = format!("{given} {family}");
                self.named = true;
            }
            _ => self.set_name(name),
        }
    }

    /// The first line that reads as a person's name is the name; later text lines are the
    /// role and the organization.
    fn name_or_role(&mut self, text: &str) -> bool {
        if !self.named {
            let (name, rest) = match text.split_once(',') {
                Some((name, rest)) => (name.trim(), Some(rest.trim())),
                None => (text, None),
            };
            if looks_like_name(name) {
                self.set_name(name);
                return match rest {
                    None => true,
                    Some(rest) if is_credential(rest) => {
                        self.found.draft.suffix = rest.to_owned();
                        true
                    }
                    Some(rest) => self.role_or_company(rest),
                };
            }
        }
        text.chars().any(char::is_alphabetic) && self.role_or_company(text)
    }

    fn set_name(&mut self, name: &str) {
        let draft = &mut self.found.draft;
        let mut words: Vec<&str> = name.split_whitespace().collect();
        if let Some(first) = words.first()
            && PREFIXES.contains(&first.trim_end_matches('.').to_lowercase().as_str())
            && words.len() > 1
        {
            draft.prefix = words.remove(0).to_owned();
        }
        draft.display_name = words.join(" ");
        if let [given, family] = words.as_slice() {
            draft.given_name = (*given).to_owned();
            draft.family_name = (*family).to_owned();
        }
        self.named = true;
    }

    /// "Owner, Lima Bakery", "Buyer at Harbor Hardware", "Geschäftsführer", "Müller GmbH".
    fn role_or_company(&mut self, text: &str) -> bool {
        let text = text.trim();
        if let Some((title, org)) = split_at_word(text) {
            return self.role(title) && self.company(org);
        }
        if let Some((left, right)) = text.split_once(',')
            && (is_title(left) || is_company(right))
        {
            return self.role(left.trim()) && self.company(right.trim());
        }
        if is_company(text) {
            return self.company(text);
        }
        if is_title(text) {
            return self.role(text);
        }
        // Under a name and a role, a plain short line is where they work.
        let draft = &self.found.draft;
        let plain =
            !text.chars().any(|c| c.is_ascii_digit()) && text.split_whitespace().count() <= 5;
        plain && self.named && !draft.title.is_empty() && self.company(text)
    }

    fn role(&mut self, title: &str) -> bool {
        fill_once(&mut self.found.draft.title, title)
    }

    fn company(&mut self, org: &str) -> bool {
        fill_once(&mut self.found.draft.organization, org)
    }

    /// A street line waits; a postcode-and-city line makes the address; a country after it
    /// completes it. An address without a postcode is not kept: too easy to get wrong.
    fn address_line(&mut self, text: &str) -> bool {
        if let Some(address) = self.found.draft.addresses.first_mut()
            && address.country.is_empty()
            && is_country(text)
        {
            address.country = text.to_owned();
            return true;
        }
        if let Some(mut address) = postal_address(text) {
            if address.street.is_empty()
                && let Some(street) = self.street.take()
            {
                address.street = street;
            }
            if self.found.draft.addresses.is_empty() {
                self.found.draft.addresses.push(address);
                return true;
            }
            return false;
        }
        if self.street.is_none() && looks_like_street(text) {
            self.street = Some(text.to_owned());
            return true;
        }
        false
    }

    fn finish(mut self) -> QuickAdd {
        if let Some(street) = self.street.take() {
            self.found.unrecognised.push(street);
        }
        self.found
    }
}

/// Sets `field` to `value` unless it already holds something.
fn fill_once(field: &mut String, value: &str) -> bool {
    let value = value.trim();
    if field.is_empty() && !value.is_empty() {
        *field = value.to_owned();
        true
    } else {
        false
    }
}

#[rustfmt::skip]
const PREFIXES: &[&str] = &[
    "dr", "prof", "mr", "mrs", "ms", "mx", "herr", "frau", "mme", "sr", "sra", "dipl.-ing",
    "ing",
];

/// The parts of a line that signatures separate with `|`, `•`, `·`, tabs or a dash.
fn segments(line: &str) -> Vec<&str> {
    let mut parts = vec![line];
    for separator in ["|", "•", "·", "\t", " — ", " – ", " - "] {
        parts = parts
            .into_iter()
            .flat_map(|p| p.split(separator))
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .collect();
    }
    parts
}

/// "--", "___", "Best regards," and the like: a signature's furniture.
fn is_rule(line: &str) -> bool {
    line.chars().all(|c| "-_—–=*~ ".contains(c))
}

fn is_closing(line: &str) -> bool {
    #[rustfmt::skip]
    const CLOSINGS: &[&str] = &[
        "best", "best regards", "kind regards", "regards", "warm regards", "many thanks",
        "thanks", "thank you", "cheers", "sincerely", "yours sincerely", "yours", "all the best",
        "best wishes", "mit freundlichen grüßen", "mit freundlichen grüssen", "viele grüße",
        "beste grüße", "liebe grüße", "freundliche grüße", "grüße", "gruß", "cordialement",
        "saludos", "un saludo", "atenciosamente", "cumprimentos",
    ];
    let lower = line.trim_end_matches([',', '.', '!']).trim().to_lowercase();
    CLOSINGS.contains(&lower.as_str()) || lower.starts_with("sent from my")
}

/// `Ana Lima <ana@lima.example>`, `"Lima, Ana" <mailto:ana@lima.example>`, `From: …`.
fn angle_form(text: &str) -> Option<(String, String)> {
    let (before, rest) = text.split_once('<')?;
    let (inside, _) = rest.split_once('>')?;
    let address = clean_email(inside)?;
    let before = before.rsplit(':').next().unwrap_or(before);
    let name = before.trim().trim_matches(['"', '\'', '“', '”']).trim();
    Some((name.to_owned(), address))
}

fn clean_email(text: &str) -> Option<String> {
    let text = text.trim();
    let text = text.strip_prefix("mailto:").unwrap_or(text);
    let text = text.trim_end_matches(['.', ',', ';']);
    is_email(text).then(|| text.to_owned())
}

/// "Mobile: +44 …", "T +44 …", "E-mail: …": a short label, and the value after it.
fn split_label(text: &str) -> (Option<&str>, &str) {
    if let Some((label, value)) = text.split_once(':')
        && label.len() <= 16
        && !label.eq_ignore_ascii_case("http")
        && !label.eq_ignore_ascii_case("https")
        && !label.eq_ignore_ascii_case("mailto")
        && label
            .chars()
            .all(|c| c.is_alphabetic() || " .-".contains(c))
    {
        return (Some(label.trim()), value.trim());
    }
    if let Some((word, value)) = text.split_once(' ') {
        let label = word.trim_end_matches('.').to_lowercase();
        if phone_label(&label).is_some() && is_phone(value) {
            return (Some(word.trim_end_matches('.')), value.trim());
        }
    }
    (None, text)
}

fn email_value(label: Option<&str>, value: &str) -> Option<String> {
    let labelled = matches!(
        label,
        None | Some("e-mail" | "email" | "e" | "mail" | "e-mail address")
    );
    labelled.then(|| clean_email(value)).flatten()
}

fn website_value(label: Option<&str>, value: &str) -> Option<String> {
    let web_label = matches!(
        label,
        Some("web" | "website" | "www" | "w" | "url" | "internet" | "homepage" | "site")
    );
    let value = value.trim();
    let lower = value.to_lowercase();
    let shaped =
        !value.contains(char::is_whitespace) && !value.contains('@') && value.contains('.');
    let looks_web = lower.starts_with("http://")
        || lower.starts_with("https://")
        || lower.starts_with("www.")
        || lower.contains(".com/")
        || web_label;
    let web = shaped && looks_web && (label.is_none() || web_label) && !is_phone(value);
    web.then(|| value.to_owned())
}

fn phone_value(label: Option<&str>, value: &str) -> Option<Phone> {
    if !is_phone(value) {
        return None;
    }
    let label = match label {
        None => "work",
        Some(label) => phone_label(label.trim_end_matches('.'))?,
    };
    Some(Phone {
        label: label.into(),
        number: value.split_whitespace().collect::<Vec<_>>().join(" "),
    })
}

/// The contact's phone label for a signature's ("M", "Tel.", "Handy" → mobile, work, …).
fn phone_label(label: &str) -> Option<&'static str> {
    Some(match label.to_lowercase().as_str() {
        "m" | "mob" | "mobile" | "cell" | "cellphone" | "handy" | "mobil" | "mobile phone" => {
            "mobile"
        }
        "t" | "tel" | "phone" | "ph" | "p" | "telefon" | "telephone" | "office" | "direct"
        | "d" | "work" | "w" | "téléphone" | "teléfono" | "telefone" | "fon" => "work",
        "f" | "fax" | "telefax" => "fax",
        "h" | "home" | "privat" => "home",
        _ => return None,
    })
}

/// "Owner at Lima Bakery", "Buyer @ Harbor Hardware", "Inhaberin bei Müller GmbH".
fn split_at_word(text: &str) -> Option<(&str, &str)> {
    for word in [" at ", " @ ", " bei ", " chez "] {
        if let Some((left, right)) = text.split_once(word)
            && !left.trim().is_empty()
            && !right.trim().is_empty()
        {
            return Some((left.trim(), right.trim()));
        }
    }
    None
}

fn words_lower(text: &str) -> Vec<String> {
    text.split(|c: char| c.is_whitespace() || c == '/')
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric() && c != '&')
                .to_lowercase()
        })
        .filter(|w| !w.is_empty())
        .collect()
}

/// A word that begins the way job titles do, in English, German, French, Spanish, Portuguese.
fn is_title(text: &str) -> bool {
    title_words(text, false)
}

fn title_words(text: &str, strict: bool) -> bool {
    #[rustfmt::skip]
    const STEMS: &[&str] = &[
        "owner", "found", "co-found", "ceo", "cto", "cfo", "coo", "presid", "vice", "vp",
        "director", "manag", "head", "lead", "chief", "officer", "buyer", "chef", "engineer",
        "consult", "associate", "assist", "coordinat", "specialist", "develop", "designer",
        "architect", "analyst", "advis", "accountant", "sales", "marketing", "executive",
        "represent", "administrat", "secretar", "principal", "propriet", "supervis", "editor",
        "agent", "broker", "attorney", "lawyer", "counsel", "purchas", "procure", "operations",
        "geschäftsführ", "inhaber", "leiter", "vertrieb", "einkauf", "prokur", "vorstand",
        "gesellschafter", "mitarbeiter", "referent", "gérant", "directeur", "directrice",
        "responsable", "gerente", "diretor", "sócio", "socio", "fundador", "dueño", "recruit",
        "teacher", "professor", "nurse", "sommelier", "partner",
    ];
    // In a name only whole words or long stems count: Vicente, Leadbetter and Headley are people.
    words_lower(text).iter().any(|w| {
        STEMS
            .iter()
            .any(|s| w == s || (w.starts_with(s) && (!strict || s.chars().count() >= 6)))
    })
}

/// A legal form or a word businesses are named with.
fn is_company(text: &str) -> bool {
    #[rustfmt::skip]
    const WORDS: &[&str] = &[
        "ltd", "limited", "gmbh", "ag", "inc", "incorporated", "llc", "llp", "plc", "corp",
        "corporation", "co", "company", "kg", "ohg", "ug", "gbr", "sa", "sas", "sarl", "srl",
        "spa", "bv", "nv", "ab", "oy", "pty", "lda", "sl", "bakery", "bäckerei", "café", "cafe",
        "restaurant", "bistro", "hotel", "studio", "group", "gruppe", "solutions", "consulting",
        "services", "shop", "store", "hardware", "plumbing", "partners", "associates", "agency",
        "labs", "systems", "technologies", "foods", "trading", "holdings", "ventures", "bank",
        "university", "school", "clinic", "kanzlei", "werkstatt", "&",
    ];
    words_lower(text)
        .iter()
        .any(|w| WORDS.contains(&w.as_str()))
}

fn is_credential(text: &str) -> bool {
    #[rustfmt::skip]
    const CREDENTIALS: &[&str] = &[
        "phd", "mba", "md", "jr", "sr", "cpa", "esq", "msc", "bsc", "dipl",
    ];
    let lower = text
        .trim()
        .trim_end_matches('.')
        .replace('.', "")
        .to_lowercase();
    CREDENTIALS.contains(&lower.as_str())
}

/// Two to four capitalised words of letters (particles such as "da" and "von" allowed),
/// not a role or a business.
fn looks_like_name(text: &str) -> bool {
    #[rustfmt::skip]
    const PARTICLES: &[&str] = &[
        "de", "da", "do", "dos", "das", "del", "della", "di", "du", "van", "von", "der", "den",
        "la", "le", "bin", "al", "y", "e",
    ];
    let words: Vec<&str> = text.split_whitespace().collect();
    let shaped = |w: &&str| {
        let lower = w.to_lowercase();
        let capital = w.chars().next().is_some_and(char::is_uppercase);
        w.chars().all(|c| c.is_alphabetic() || ".'’-".contains(c))
            && (capital || PARTICLES.contains(&lower.as_str()))
    };
    (2..=4).contains(&words.len())
        && words.iter().all(shaped)
        && !title_words(text, true)
        && !is_company(text)
}

/// "12 Baker Street", "Hauptstraße 5", "221B Market Rd": a number and a street word.
fn looks_like_street(text: &str) -> bool {
    #[rustfmt::skip]
    const STREET: &[&str] = &[
        "street", "st", "road", "rd", "avenue", "ave", "lane", "ln", "drive", "dr", "way",
        "square", "place", "boulevard", "blvd", "court", "row", "straße", "strasse", "str",
        "weg", "platz", "gasse", "allee", "ring", "damm", "rue", "calle", "avenida", "rua",
        "via", "plaza", "suite", "floor", "unit",
    ];
    let words = words_lower(text);
    let numbered = text.chars().any(|c| c.is_ascii_digit());
    let street_word = words.iter().any(|w| {
        STREET.contains(&w.as_str())
            || ["straße", "strasse", "str", "weg", "platz", "gasse", "allee"]
                .iter()
                .any(|s| w.ends_with(s) && w.len() > s.len() + 2)
    });
    numbered && street_word && !text.contains('@')
}

/// A line with a postcode and a city, with the street before it on the same line if there:
/// "10115 Berlin", "London EC1A 1BB", "Springfield, IL 62704", "12 Baker St, London W1U 3BW".
fn postal_address(text: &str) -> Option<Address> {
    let parts: Vec<&str> = text.split(',').map(str::trim).collect();
    let mut address = Address {
        label: "work".into(),
        ..Address::default()
    };
    for (index, part) in parts.iter().enumerate() {
        let continental = regex_match(
            r"^(\d{4,5}|\d{4}-\d{3}|\d{5}-\d{3}|[A-Z]-\d{4,5})\s+(\p{L}[\p{L} .'-]*)$",
            part,
        );
        let british = regex_match(
            r"^(\p{L}[\p{L} .'-]*?)\s+([A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2})$",
            part,
        );
        let american = regex_match(r"^([A-Z]{2})\s+(\d{5}(?:-\d{4})?)$", part);
        if let Some([code, city]) = continental {
            (address.postal_code, address.city) = (code, city);
        } else if let Some([city, code]) = british {
            (address.postal_code, address.city) = (code, city);
        } else if let Some([region, code]) = american
            && index > 0
        {
            (address.region, address.postal_code) = (region, code);
            address.city = parts[index - 1].to_owned();
            address.street = parts[..index - 1].join(", ");
            address.country = parts[index + 1..].join(", ");
            return Some(address);
        } else {
            continue;
        }
        address.street = parts[..index].join(", ");
        address.country = parts[index + 1..].join(", ");
        return Some(address);
    }
    None
}

fn regex_match(pattern: &str, text: &str) -> Option<[String; 2]> {
    let captures = regex::Regex::new(pattern).ok()?.captures(text)?;
    Some([captures[1].trim().to_owned(), captures[2].trim().to_owned()])
}

fn is_country(text: &str) -> bool {
    #[rustfmt::skip]
    const COUNTRIES: &[&str] = &[
        "uk", "united kingdom", "england", "scotland", "wales", "ireland", "usa", "us",
        "united states", "canada", "germany", "deutschland", "austria", "österreich",
        "switzerland", "schweiz", "france", "spain", "españa", "portugal", "italy", "italia",
        "netherlands", "belgium", "brazil", "brasil", "australia", "new zealand", "mexico",
        "méxico",
    ];
    COUNTRIES.contains(&text.trim().trim_end_matches('.').to_lowercase().as_str())
}

/// What [`fill_empty`] did, for the form to say.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filled {
    /// The fields that were empty and now hold what was pasted ("name", "e-mail", …).
    pub filled: Vec<&'static str>,
    /// The fields left as typed although the text had something for them.
    pub kept: Vec<&'static str>,
}

/// Puts what was found into `target` where it is empty; never changes what was typed.
/// E-mails and phones go into empty rows, or new rows; one already there is not repeated.
pub fn fill_empty(target: &mut ContactDraft, found: &QuickAdd) -> Filled {
    let mut out = Filled::default();
    let from = &found.draft;
    for (name, field, value) in [
        ("name", &mut target.display_name, &from.display_name),
        ("first name", &mut target.given_name, &from.given_name),
        ("last name", &mut target.family_name, &from.family_name),
        ("prefix", &mut target.prefix, &from.prefix),
        ("suffix", &mut target.suffix, &from.suffix),
        ("role", &mut target.title, &from.title),
        ("organization", &mut target.organization, &from.organization),
    ] {
        fill_field(&mut out, name, field, value);
    }
    for email in &from.emails {
        let here = target
            .emails
            .iter()
            .any(|e| e.address.trim().eq_ignore_ascii_case(&email.address));
        if !here {
            match target
                .emails
                .iter_mut()
                .find(|e| e.address.trim().is_empty())
            {
                Some(slot) => slot.address = email.address.clone(),
                None => target.emails.push(email.clone()),
            }
            note(&mut out.filled, "e-mail");
        }
    }
    for phone in &from.phones {
        let digits = |s: &str| s.chars().filter(char::is_ascii_digit).collect::<String>();
        let here = target
            .phones
            .iter()
            .any(|p| digits(&p.number) == digits(&phone.number));
        if !here {
            match target
                .phones
                .iter_mut()
                .find(|p| p.number.trim().is_empty())
            {
                Some(slot) => *slot = phone.clone(),
                None => target.phones.push(phone.clone()),
            }
            note(&mut out.filled, "phone");
        }
    }
    fill_address(&mut out, target, from);
    out
}

fn fill_field(out: &mut Filled, name: &'static str, field: &mut String, value: &str) {
    if value.trim().is_empty() {
        return;
    }
    if field.trim().is_empty() {
        *field = value.to_owned();
        out.filled.push(name);
    } else if field.trim() != value.trim() {
        out.kept.push(name);
    }
}

fn fill_address(out: &mut Filled, target: &mut ContactDraft, from: &ContactDraft) {
    let Some(found) = from.addresses.first() else {
        return;
    };
    let already = target
        .addresses
        .iter()
        .any(|a| a.one_line() == found.one_line());
    match target.addresses.iter_mut().find(|a| a.is_blank()) {
        _ if already => {}
        Some(slot) => {
            let label = std::mem::take(&mut slot.label);
            *slot = Address {
                label: if label.is_empty() {
                    found.label.clone()
                } else {
                    label
                },
                ..found.clone()
            };
            out.filled.push("address");
        }
        None => out.kept.push("address"),
    }
}

impl Filled {
    /// What to tell the person: what was filled, what was left as typed, what was not
    /// recognised.
    pub fn sentence(&self, found: &QuickAdd) -> String {
        let mut parts = Vec::new();
        if self.filled.is_empty() {
            parts.push("Nothing was filled in.".to_owned());
        } else {
            parts.push(format!("Filled in: {}.", self.filled.join(", ")));
        }
        if !self.kept.is_empty() {
            parts.push(format!(
                "Kept what you typed for: {}.",
                self.kept.join(", ")
            ));
        }
        if !found.websites.is_empty() {
            parts.push(format!(
                "Left out (no field for it): {}.",
                found.websites.join(", ")
            ));
        }
        if !found.unrecognised.is_empty() {
            let quoted: Vec<String> = found
                .unrecognised
                .iter()
                .map(|l| format!("\"{l}\""))
                .collect();
            parts.push(format!("Not recognised: {}.", quoted.join(", ")));
        }
        parts.join(" ")
    }
}

fn note(list: &mut Vec<&'static str>, name: &'static str) {
    if !list.contains(&name) {
        list.push(name);
    }
}

#[cfg(test)]
#[path = "quick_add_tests.rs"]
mod tests;
