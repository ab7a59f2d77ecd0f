//! How stored values read on screen. Phones are stored in E.164 ("+19055551234") so they match
//! and dial anywhere; people read them the way their own country writes them.

/// A stored phone number as people read it: in the national format of `region` (the user's
/// phone country, "US", "GB", …) when the number is from a country sharing its calling code
/// ("(905) 555-1234" for a US user, since Canada and the US dial each other nationally), in
/// international format otherwise ("+44 20 7946 0958"). Anything that does not parse as a
/// number — an extension written in words, a note — is shown as stored.
pub fn readable_phone(number: &str, region: &str) -> String {
    let stored = number.trim();
    if !stored.starts_with('+') {
        return stored.to_owned();
    }
    let Ok(parsed) = phonenumber::parse(None, stored) else {
        return stored.to_owned();
    };
    let home_code = phonenumber::metadata::DATABASE
        .by_id(region.trim().to_ascii_uppercase().as_str())
        .map(|meta| meta.country_code());
    let mode = if home_code == Some(parsed.code().value()) {
        phonenumber::Mode::National
    } else {
        phonenumber::Mode::International
    };
    parsed.format().mode(mode).to_string()
}
