//! Relationships between contacts: spouse, partner, colleague, parent, assistant, referred,
//! reports to. A stored row reads "from is <kind> of to"; spouse, partner and colleague go both
//! ways and are stored once, from the lower id. Each person sees the relationship in their own
//! words: a `Role` is a kind seen from one end ("Parent of" on the parent, "Child of" on the
//! child). The command line's words (`child-of`, `referred-by`, `manager-of`) name roles too.
//! Pure: no SQL, no egui.

use super::{ContactId, Stage};
use serde::{Deserialize, Serialize};

/// What one person is to another, as stored (`as_str` is the `kind` column: never change it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RelationKind {
    Spouse,
    Partner,
    Parent,
    Assistant,
    ReportsTo,
    Colleague,
    Referred,
}

impl RelationKind {
    pub const ALL: [RelationKind; 7] = [
        RelationKind::Spouse,
        RelationKind::Partner,
        RelationKind::Parent,
        RelationKind::Assistant,
        RelationKind::ReportsTo,
        RelationKind::Colleague,
        RelationKind::Referred,
    ];

    /// The stable name in the `kind` column.
    pub fn as_str(self) -> &'static str {
        match self {
            RelationKind::Spouse => "spouse",
            RelationKind::Partner => "partner",
            RelationKind::Parent => "parent",
            RelationKind::Assistant => "assistant",
            RelationKind::ReportsTo => "reports_to",
            RelationKind::Colleague => "colleague",
            RelationKind::Referred => "referred",
        }
    }

    /// The kind stored as `text`; `None` for a name this build does not know.
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == text)
    }

    /// Spouse, partner and colleague read the same from both ends.
    pub fn is_symmetric(self) -> bool {
        matches!(
            self,
            RelationKind::Spouse | RelationKind::Partner | RelationKind::Colleague
        )
    }
}

/// Which end of a stored row a person is: `From` is the parent, the assistant, the one who
/// referred, the one who reports; `To` the other. A symmetric kind is always seen as `From`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Side {
    From,
    To,
}

/// How one person stands to another: a kind seen from one end.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Role {
    pub kind: RelationKind,
    pub side: Side,
}

/// The command line's words for each role (the first is the one `relations` prints), and the
/// label on a contact's page. Symmetric kinds have one role.
const ROLES: [(Role, &str, &[&str]); 11] = [
    (
        role(RelationKind::Spouse, Side::From),
        "Married to",
        &["spouse", "married-to", "husband-of", "wife-of"],
    ),
    (
        role(RelationKind::Partner, Side::From),
        "Partner of",
        &["partner", "partner-of"],
    ),
    (
        role(RelationKind::Parent, Side::From),
        "Parent of",
        &["parent-of", "parent", "mother-of", "father-of"],
    ),
    (
        role(RelationKind::Parent, Side::To),
        "Child of",
        &["child-of", "child", "son-of", "daughter-of"],
    ),
    (
        role(RelationKind::Assistant, Side::From),
        "Assistant to",
        &["assistant-of", "assistant-to", "assistant"],
    ),
    (
        role(RelationKind::Assistant, Side::To),
        "Assisted by",
        &["assisted-by", "has-assistant"],
    ),
    (
        role(RelationKind::ReportsTo, Side::From),
        "Reports to",
        &["reports-to"],
    ),
    (
        role(RelationKind::ReportsTo, Side::To),
        "Manages",
        &["manager-of", "manages", "manager"],
    ),
    (
        role(RelationKind::Colleague, Side::From),
        "Colleague of",
        &["colleague", "colleague-of", "works-with"],
    ),
    (
        role(RelationKind::Referred, Side::To),
        "Referred by",
        &["referred-by"],
    ),
    (
        role(RelationKind::Referred, Side::From),
        "Referred",
        &["referred", "referrer-of"],
    ),
];

const fn role(kind: RelationKind, side: Side) -> Role {
    Role { kind, side }
}

impl Role {
    /// Every role, in the order a contact's page lists them: family first, the referrals last.
    pub fn all() -> impl Iterator<Item = Role> {
        ROLES.iter().map(|(role, _, _)| *role)
    }

    /// The role of the `side` end of a row of `kind` (a symmetric kind: its only role).
    pub fn of(kind: RelationKind, side: Side) -> Self {
        let side = if kind.is_symmetric() {
            Side::From
        } else {
            side
        };
        Role { kind, side }
    }

    /// The same relationship seen from the other person.
    pub fn reversed(self) -> Self {
        let side = match self.side {
            Side::From => Side::To,
            Side::To => Side::From,
        };
        Role::of(self.kind, side)
    }

    fn entry(self) -> &'static (Role, &'static str, &'static [&'static str]) {
        let wanted = Role::of(self.kind, self.side);
        ROLES
            .iter()
            .find(|(role, _, _)| *role == wanted)
            .unwrap_or(&ROLES[0])
    }

    /// The words before the other person's name on a page: "Married to", "Child of",
    /// "Referred by", "Manages".
    pub fn label(self) -> &'static str {
        self.entry().1
    }

    /// The command line's word for it: "spouse", "child-of", "referred-by".
    pub fn word(self) -> &'static str {
        self.entry().2[0]
    }

    /// Where in a page's list it comes (`all`'s order).
    pub fn rank(self) -> usize {
        let wanted = Role::of(self.kind, self.side);
        ROLES
            .iter()
            .position(|(role, _, _)| *role == wanted)
            .unwrap_or(0)
    }

    /// Reads a command-line word: "spouse", "Referred by", "child_of", "MANAGER-OF".
    pub fn from_word(text: &str) -> Result<Self, String> {
        let wanted = text.trim().to_lowercase().replace([' ', '_'], "-");
        ROLES
            .iter()
            .find(|(_, label, words)| {
                words.contains(&wanted.as_str()) || label.to_lowercase().replace(' ', "-") == wanted
            })
            .map(|(role, _, _)| *role)
            .ok_or_else(|| {
                format!(
                    "\"{}\" is not a kind of relationship. Use one of: {}.",
                    text.trim(),
                    Role::all().map(Role::word).collect::<Vec<_>>().join(", ")
                )
            })
    }

    /// The stored row for "`me` is this role of `other`": (from, kind, to). A symmetric kind is
    /// stored from the lower id, so the same pair is one row whichever way it was said.
    pub fn placement(
        self,
        me: ContactId,
        other: ContactId,
    ) -> (ContactId, RelationKind, ContactId) {
        if self.kind.is_symmetric() {
            (me.min(other), self.kind, me.max(other))
        } else {
            match self.side {
                Side::From => (me, self.kind, other),
                Side::To => (other, self.kind, me),
            }
        }
    }

    /// The relationship as a sentence (without a full stop): "Ana Lima is married to Tom
    /// Weber", "Tom Weber referred Ana Lima", "Ana Lima and Tom Weber are colleagues".
    pub fn sentence(self, me: &str, other: &str) -> String {
        let (from, to) = match self.side {
            Side::From => (me, other),
            Side::To => (other, me),
        };
        match self.kind {
            RelationKind::Spouse => format!("{me} is married to {other}"),
            RelationKind::Partner => format!("{me} and {other} are partners"),
            RelationKind::Colleague => format!("{me} and {other} are colleagues"),
            RelationKind::Parent => format!("{from} is {}'s parent", to),
            RelationKind::Assistant => format!("{from} is {}'s assistant", to),
            RelationKind::Referred => format!("{from} referred {to}"),
            RelationKind::ReportsTo => format!("{from} reports to {to}"),
        }
    }
}

/// One relationship as one of its people sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Related {
    /// The stored row's id.
    pub id: i64,
    /// What the person is to `other`.
    pub role: Role,
    pub other: ContactId,
    pub other_name: String,
    pub other_stage: Stage,
    /// Set when `other` is in the trash (only "everything we hold" lists those).
    pub other_in_trash: bool,
    pub note: String,
}

impl Related {
    /// "Married to Ana Lima".
    pub fn wording(&self) -> String {
        format!("{} {}", self.role.label(), self.other_name)
    }
}

/// True for the stages that count as a customer in referral counts.
pub fn is_customer(stage: Stage) -> bool {
    matches!(stage, Stage::Customer | Stage::Loyal)
}

/// "3 people", "1 person".
pub fn people(count: usize) -> String {
    match count {
        1 => "1 person".to_owned(),
        n => format!("{n} people"),
    }
}

/// A contact's relationships grouped by role in page order, each group's people by name:
/// `("Married to", [Ana Lima])`, `("Referred", [Leo, Mia, Tom])`.
pub fn grouped(lines: &[Related]) -> Vec<(Role, Vec<&Related>)> {
    let mut groups: Vec<(Role, Vec<&Related>)> = Vec::new();
    for role in Role::all() {
        let mut people: Vec<&Related> = lines.iter().filter(|r| r.role == role).collect();
        if people.is_empty() {
            continue;
        }
        people.sort_by_cached_key(|r| (r.other_name.to_lowercase(), r.other));
        groups.push((role, people));
    }
    groups
}

/// The heading of a group on the page: "Married to" for one, "Referred 3 people (2 are
/// customers)" for referrals, "Parent of" for any other group.
pub fn group_heading(role: Role, members: &[&Related]) -> String {
    if role == Role::of(RelationKind::Referred, Side::From) && members.len() > 1 {
        let customers = members
            .iter()
            .filter(|r| is_customer(r.other_stage))
            .count();
        let count = people(members.len());
        return match customers {
            0 => format!("Referred {count}"),
            n if n == members.len() => format!("Referred {n} customers"),
            1 => format!("Referred {count} (1 is a customer)"),
            n => format!("Referred {count} ({n} are customers)"),
        };
    }
    role.label().to_owned()
}

/// Whether `line` matches what was typed in a relationships filter: every word of it is in
/// the other person's name or in the role's words (case and accents aside).
pub fn matches_filter(line: &Related, typed: &str) -> bool {
    let haystack = fold(&format!("{} {}", line.role.label(), line.other_name));
    fold(typed)
        .split_whitespace()
        .all(|word| haystack.contains(word))
}

/// Lowercase without accents ("García" -> "garcia"), for filters typed by people.
pub fn fold(text: &str) -> String {
    deunicode::deunicode(text).to_lowercase()
}

/// One referral: who referred whom.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Referral {
    pub referrer: ContactId,
    pub referrer_name: String,
    pub referred: ContactId,
    pub referred_name: String,
    pub referred_stage: Stage,
}

/// One person who referred others, with whom (by name) and how many are customers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Referrer {
    pub id: ContactId,
    pub name: String,
    /// Whom they referred, by name.
    pub referred: Vec<(ContactId, String)>,
    pub customers: usize,
}

/// The referrals grouped by who referred, most referrals first (then by name).
pub fn referrers(referrals: &[Referral]) -> Vec<Referrer> {
    let mut by_id: std::collections::BTreeMap<ContactId, Referrer> = Default::default();
    for r in referrals {
        let entry = by_id.entry(r.referrer).or_insert_with(|| Referrer {
            id: r.referrer,
            name: r.referrer_name.clone(),
            referred: Vec::new(),
            customers: 0,
        });
        entry.referred.push((r.referred, r.referred_name.clone()));
        if is_customer(r.referred_stage) {
            entry.customers += 1;
        }
    }
    let mut list: Vec<Referrer> = by_id.into_values().collect();
    for referrer in &mut list {
        referrer
            .referred
            .sort_by_cached_key(|(id, name)| (name.to_lowercase(), *id));
    }
    list.sort_by_cached_key(|r| {
        (
            std::cmp::Reverse(r.referred.len()),
            r.name.to_lowercase(),
            r.id,
        )
    });
    list
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(role: Role, other: i64, name: &str, stage: Stage) -> Related {
        Related {
            id: other,
            role,
            other: ContactId(other),
            other_name: name.to_owned(),
            other_stage: stage,
            other_in_trash: false,
            note: String::new(),
        }
    }

    #[test]
    fn every_role_reads_right_from_both_ends() {
        let cases = [
            ("spouse", "Married to", "Married to"),
            ("partner", "Partner of", "Partner of"),
            ("colleague", "Colleague of", "Colleague of"),
            ("parent-of", "Parent of", "Child of"),
            ("assistant-of", "Assistant to", "Assisted by"),
            ("referred", "Referred", "Referred by"),
            ("reports-to", "Reports to", "Manages"),
        ];
        for (word, mine, theirs) in cases {
            let role = Role::from_word(word).unwrap();
            assert_eq!(role.label(), mine, "{word}");
            assert_eq!(role.reversed().label(), theirs, "{word}");
            assert_eq!(role.reversed().reversed(), role, "{word}");
        }
    }

    #[test]
    fn both_directions_words_store_the_same_row() {
        let (a, b) = (ContactId(5), ContactId(9));
        let said = |word: &str, me, other| Role::from_word(word).unwrap().placement(me, other);
        // "5 was referred by 9" is "9 referred 5".
        assert_eq!(said("referred-by", a, b), (b, RelationKind::Referred, a));
        assert_eq!(said("referred", b, a), (b, RelationKind::Referred, a));
        assert_eq!(said("child-of", a, b), (b, RelationKind::Parent, a));
        assert_eq!(said("parent-of", b, a), (b, RelationKind::Parent, a));
        assert_eq!(said("manager-of", a, b), (b, RelationKind::ReportsTo, a));
        assert_eq!(said("reports-to", b, a), (b, RelationKind::ReportsTo, a));
        assert_eq!(said("assisted-by", a, b), (b, RelationKind::Assistant, a));
        assert_eq!(said("assistant-of", b, a), (b, RelationKind::Assistant, a));
        // Symmetric kinds: from the lower id, whoever said it.
        assert_eq!(said("spouse", b, a), (a, RelationKind::Spouse, b));
        assert_eq!(said("colleague", a, b), (a, RelationKind::Colleague, b));
    }

    #[test]
    fn words_people_type_are_read_and_others_refused_with_the_list() {
        for word in ["Referred by", "REFERRED_BY", " referred-by ", "Referred-By"] {
            assert_eq!(
                Role::from_word(word),
                Ok(Role::of(RelationKind::Referred, Side::To)),
                "{word}"
            );
        }
        assert_eq!(
            Role::from_word("married to").unwrap().kind,
            RelationKind::Spouse
        );
        assert_eq!(Role::from_word("Manages").unwrap().word(), "manager-of");
        let refused = Role::from_word("cousin").unwrap_err();
        assert!(refused.starts_with("\"cousin\" is not a kind of relationship"));
        assert!(
            refused.contains("spouse, partner, parent-of, child-of"),
            "{refused}"
        );
        for role in Role::all() {
            assert_eq!(Role::from_word(role.word()), Ok(role), "{}", role.word());
            assert_eq!(Role::from_word(role.label()), Ok(role), "{}", role.label());
            assert_eq!(RelationKind::parse(role.kind.as_str()), Some(role.kind));
        }
        assert_eq!(Role::all().count(), 11);
    }

    #[test]
    fn sentences_name_who_did_what() {
        let referred_by = Role::from_word("referred-by").unwrap();
        assert_eq!(
            referred_by.sentence("Ana Lima", "Tom Weber"),
            "Tom Weber referred Ana Lima"
        );
        assert_eq!(
            Role::from_word("child-of")
                .unwrap()
                .sentence("Leo Lima", "Ana Lima"),
            "Ana Lima is Leo Lima's parent"
        );
        assert_eq!(
            Role::from_word("spouse")
                .unwrap()
                .sentence("Ana Lima", "Tom Weber"),
            "Ana Lima is married to Tom Weber"
        );
        assert_eq!(
            Role::from_word("manager-of")
                .unwrap()
                .sentence("Ana", "Ben"),
            "Ben reports to Ana"
        );
    }

    #[test]
    fn a_page_groups_by_role_and_counts_customers_referred() {
        let referred = Role::of(RelationKind::Referred, Side::From);
        let lines = vec![
            line(referred, 3, "mia Kurz", Stage::Customer),
            line(
                Role::from_word("spouse").unwrap(),
                2,
                "Ana Lima",
                Stage::Friend,
            ),
            line(referred, 4, "Leo Lima", Stage::Prospect),
            line(referred, 5, "Ben Brook", Stage::Loyal),
            line(
                Role::from_word("referred-by").unwrap(),
                6,
                "Tom Weber",
                Stage::Customer,
            ),
        ];
        let groups = grouped(&lines);
        let headings: Vec<String> = groups
            .iter()
            .map(|(role, people)| group_heading(*role, people))
            .collect();
        assert_eq!(
            headings,
            [
                "Married to",
                "Referred by",
                "Referred 3 people (2 are customers)"
            ]
        );
        let names: Vec<&str> = groups[2].1.iter().map(|r| r.other_name.as_str()).collect();
        assert_eq!(names, ["Ben Brook", "Leo Lima", "mia Kurz"]);
        let all_customers = [&lines[0], &lines[3]];
        assert_eq!(
            group_heading(referred, &all_customers),
            "Referred 2 customers"
        );
        assert_eq!(group_heading(referred, &[&lines[0]]), "Referred");
        assert_eq!(lines[1].wording(), "Married to Ana Lima");
    }

    #[test]
    fn a_filter_finds_names_and_roles_without_accents_or_case() {
        let married = line(
            Role::from_word("spouse").unwrap(),
            2,
            "Ana García",
            Stage::Friend,
        );
        assert!(matches_filter(&married, "garcia"));
        assert!(matches_filter(&married, "MARRIED ana"));
        assert!(!matches_filter(&married, "tom"));
        assert!(matches_filter(&married, "  "));
    }

    #[test]
    fn referrers_count_whom_they_referred_most_first() {
        let referral = |from: i64, from_name: &str, to: i64, to_name: &str, stage| Referral {
            referrer: ContactId(from),
            referrer_name: from_name.to_owned(),
            referred: ContactId(to),
            referred_name: to_name.to_owned(),
            referred_stage: stage,
        };
        let list = referrers(&[
            referral(1, "Tom Weber", 3, "Mia", Stage::Customer),
            referral(2, "Ana Lima", 4, "Leo", Stage::Prospect),
            referral(1, "Tom Weber", 5, "Ben", Stage::Loyal),
            referral(7, "Cleo Costa", 8, "Dan", Stage::Prospect),
        ]);
        let summary: Vec<(&str, usize, usize)> = list
            .iter()
            .map(|r| (r.name.as_str(), r.referred.len(), r.customers))
            .collect();
        assert_eq!(
            summary,
            [
                ("Tom Weber", 2, 2),
                ("Ana Lima", 1, 0),
                ("Cleo Costa", 1, 0)
            ]
        );
        assert_eq!(list[0].referred[0].1, "Ben");
    }
}
