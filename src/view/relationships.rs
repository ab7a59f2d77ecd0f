//! Relationships between contacts, their view state: the selected contact's relationships (read
//! with the selection), the "Add relationship…" dialog (a role, and a person found by typing
//! their name), and View ▸ Who referred whom (referrers with counts, filtered and sorted here,
//! so a frame only draws). `ui::relationships` and `ui::referrals` draw them.

use super::{Command, FormSession};
use crate::model::ContactId;
use crate::model::relationship::{Referral, Referrer, Related, Role, fold, referrers};

/// Everything about relationships the window shows.
#[derive(Debug, Default)]
pub struct RelationshipsView {
    /// The selected contact's relationships.
    pub shown: Option<ShownRelationships>,
    pub dialog: Option<AddRelationship>,
    pub referrals: Option<ReferralsWindow>,
}

impl RelationshipsView {
    /// The relationships to draw for `contact` (none while another contact's are loaded).
    pub fn of(&mut self, contact: ContactId) -> Option<&mut ShownRelationships> {
        self.shown.as_mut().filter(|s| s.contact == contact)
    }
}

/// One contact's relationships, as their page lists them.
#[derive(Debug, Clone)]
pub struct ShownRelationships {
    pub contact: ContactId,
    /// In page order (by role, then name), as the store gives them.
    pub lines: Vec<Related>,
    /// Words typed in the section's filter (shown when there are many).
    pub filter: String,
    /// Every person of every group shown, not just the first few.
    pub expanded: bool,
    /// What the filter lets through, by role: worked out when the lines or the filter
    /// change, so a frame only draws (a page may hold a thousand relationships).
    pub groups: Vec<ShownGroup>,
}

/// The people of one role on a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShownGroup {
    /// "Married to", "Referred 3 people (2 are customers)".
    pub heading: String,
    /// Indexes into `lines`, by name.
    pub members: Vec<usize>,
}

impl ShownRelationships {
    pub fn new(contact: ContactId, lines: Vec<Related>, filter: String, expanded: bool) -> Self {
        let mut shown = Self {
            contact,
            lines,
            filter,
            expanded,
            groups: Vec::new(),
        };
        shown.refilter();
        shown
    }

    /// Groups what the filter lets through again (after it changed).
    pub fn refilter(&mut self) {
        use crate::model::relationship::{group_heading, matches_filter};
        let lines = &self.lines;
        let passing: Vec<usize> = (0..lines.len())
            .filter(|&i| matches_filter(&lines[i], &self.filter))
            .collect();
        self.groups = Role::all()
            .filter_map(|role| {
                let mut members: Vec<usize> = passing
                    .iter()
                    .copied()
                    .filter(|&i| lines[i].role == role)
                    .collect();
                if members.is_empty() {
                    return None;
                }
                members
                    .sort_by_cached_key(|&i| (lines[i].other_name.to_lowercase(), lines[i].other));
                let people: Vec<&Related> = members.iter().map(|&i| &lines[i]).collect();
                Some(ShownGroup {
                    heading: group_heading(role, &people),
                    members,
                })
            })
            .collect();
    }
}

/// A person the dialog offers for what was typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub id: ContactId,
    pub name: String,
    /// Where they work, to tell two people of the same name apart.
    pub organization: String,
}

impl Candidate {
    /// "Camila Andersson · Maple Garage".
    pub fn label(&self) -> String {
        match self.organization.trim() {
            "" => self.name.clone(),
            organization => format!("{} · {organization}", self.name),
        }
    }
}

/// The "Add relationship…" dialog for one contact.
#[derive(Debug, Clone)]
pub struct AddRelationship {
    pub contact: ContactId,
    pub name: String,
    /// What the contact is to the other person; none chosen yet at first.
    pub role: Option<Role>,
    /// The name being typed.
    pub search: String,
    /// People matching `search` (the contact themselves left out), filled by the app.
    pub candidates: Vec<Candidate>,
    /// The candidate Enter takes (↑ ↓ move it).
    pub highlighted: usize,
    /// The person picked from the candidates.
    pub chosen: Option<(ContactId, String)>,
    pub note: String,
    pub error: Option<String>,
    pub session: FormSession,
}

impl AddRelationship {
    pub fn new(contact: ContactId, name: &str) -> Self {
        let mut dialog = Self {
            contact,
            name: name.to_owned(),
            role: None,
            search: String::new(),
            candidates: Vec::new(),
            highlighted: 0,
            chosen: None,
            note: String::new(),
            error: None,
            session: FormSession::opened_as(String::new()),
        };
        dialog.session = FormSession::opened_as(dialog.fingerprint());
        dialog
    }

    fn fingerprint(&self) -> String {
        format!(
            "{:?}\n{}\n{:?}\n{}",
            self.role, self.search, self.chosen, self.note
        )
    }

    /// Whether anything was chosen or typed since it opened.
    pub fn is_dirty(&self) -> bool {
        self.session.is_dirty(&self.fingerprint())
    }

    /// New candidates for what is typed: the contact is never one of them.
    pub fn set_candidates(&mut self, found: Vec<Candidate>) {
        self.candidates = found.into_iter().filter(|c| c.id != self.contact).collect();
        self.highlighted = 0;
    }

    /// Moves the highlight among the candidates (↑ is -1, ↓ is +1), staying on the list.
    pub fn move_highlight(&mut self, by: isize) {
        let last = self.candidates.len().saturating_sub(1) as isize;
        self.highlighted = (self.highlighted as isize + by).clamp(0, last) as usize;
    }

    /// Picks a candidate: the name box then shows them.
    pub fn choose(&mut self, person: &Candidate) {
        self.search = person.name.clone();
        self.candidates.clear();
        self.chosen = Some((person.id, person.name.clone()));
    }

    /// The person Save records: the one picked, else the highlighted candidate of what is typed.
    pub fn person(&self) -> Option<(ContactId, String)> {
        self.chosen
            .clone()
            .or_else(|| {
                let c = self.candidates.get(self.highlighted)?;
                Some((c.id, c.name.clone()))
            })
            .filter(|_| !self.search.trim().is_empty())
    }

    /// The command Save sends, or the sentence saying what is missing.
    pub fn to_command(&self) -> Result<Command, String> {
        let Some(role) = self.role else {
            return Err(format!("Choose what {} is to the other person.", self.name));
        };
        let Some((other, _)) = self.person() else {
            return Err(match self.search.trim() {
                "" => "Type the other person's name and pick them from the list.".to_owned(),
                typed => format!("Nobody called \"{typed}\" was found; check the spelling."),
            });
        };
        Ok(Command::Relate {
            contact: self.contact,
            role,
            other,
            note: self.note.trim().to_owned(),
        })
    }
}

/// How the referrals view is sorted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ReferralSort {
    /// Most referrals first.
    #[default]
    Referred,
    Name,
    /// Most customers among those referred first.
    Customers,
}

/// View ▸ Who referred whom: everyone who referred someone, with counts.
#[derive(Debug, Clone, Default)]
pub struct ReferralsWindow {
    pub referrers: Vec<Referrer>,
    /// Each referrer's name and the names they referred, folded for the filter.
    folded: Vec<String>,
    pub filter: String,
    pub sort: ReferralSort,
    /// Reversed from the sort's own order (fewest first, Z to A).
    pub reversed: bool,
    /// Indexes into `referrers` the filter lets through, in the chosen order.
    pub shown: Vec<usize>,
    /// The referrer whose people are listed in full below the table.
    pub chosen: Option<ContactId>,
}

impl ReferralsWindow {
    pub fn new(referrals: &[Referral]) -> Self {
        let mut window = Self::default();
        window.fill(referrals);
        window
    }

    /// Takes fresh referrals (after a change), keeping the filter, order and choice.
    pub fn fill(&mut self, referrals: &[Referral]) {
        self.referrers = referrers(referrals);
        self.folded = self
            .referrers
            .iter()
            .map(|r| {
                let mut text = fold(&r.name);
                for (_, name) in &r.referred {
                    text.push('\n');
                    text.push_str(&fold(name));
                }
                text
            })
            .collect();
        if let Some(chosen) = self.chosen
            && !self.referrers.iter().any(|r| r.id == chosen)
        {
            self.chosen = None;
        }
        self.refresh();
    }

    /// Applies the filter and the order again (after either changed).
    pub fn refresh(&mut self) {
        let words: Vec<String> = fold(&self.filter)
            .split_whitespace()
            .map(str::to_owned)
            .collect();
        self.shown = (0..self.referrers.len())
            .filter(|&i| words.iter().all(|w| self.folded[i].contains(w.as_str())))
            .collect();
        let list = &self.referrers;
        // `referrers` comes most referrals first, then by name: a stable sort keeps that
        // order among equals.
        match self.sort {
            ReferralSort::Referred => {}
            ReferralSort::Name => self
                .shown
                .sort_by_cached_key(|&i| (list[i].name.to_lowercase(), list[i].id)),
            ReferralSort::Customers => self
                .shown
                .sort_by_key(|&i| std::cmp::Reverse(list[i].customers)),
        }
        if self.reversed {
            self.shown.reverse();
        }
    }

    /// A click on a column's heading: sort by it, or the other way round when it already is.
    pub fn sort_by(&mut self, sort: ReferralSort) {
        if self.sort == sort {
            self.reversed = !self.reversed;
        } else {
            self.sort = sort;
            self.reversed = false;
        }
        self.refresh();
    }

    /// "12 people referred 31 contacts; 14 of them are customers." (of those shown)
    pub fn summary(&self) -> String {
        let referred: usize = self
            .shown
            .iter()
            .map(|&i| self.referrers[i].referred.len())
            .sum();
        let customers: usize = self
            .shown
            .iter()
            .map(|&i| self.referrers[i].customers)
            .sum();
        let who = crate::model::relationship::people(self.shown.len());
        let contacts = match referred {
            1 => "1 contact".to_owned(),
            n => format!("{n} contacts"),
        };
        let of_them = match customers {
            1 => "1 of them is a customer".to_owned(),
            n => format!("{n} of them are customers"),
        };
        format!("{who} referred {contacts}; {of_them}.")
    }

    /// The referrer listed in full below the table.
    pub fn chosen_referrer(&self) -> Option<&Referrer> {
        let chosen = self.chosen?;
        self.referrers.iter().find(|r| r.id == chosen)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Stage;
    use crate::model::relationship::{RelationKind, Side};

    fn referral(from: i64, from_name: &str, to: i64, to_name: &str, stage: Stage) -> Referral {
        Referral {
            referrer: ContactId(from),
            referrer_name: from_name.to_owned(),
            referred: ContactId(to),
            referred_name: to_name.to_owned(),
            referred_stage: stage,
        }
    }

    fn names(window: &ReferralsWindow) -> Vec<&str> {
        window
            .shown
            .iter()
            .map(|&i| window.referrers[i].name.as_str())
            .collect()
    }

    #[test]
    fn the_referrals_view_sorts_filters_and_counts() {
        let mut window = ReferralsWindow::new(&[
            referral(1, "Tom Weber", 3, "Mia Kurz", Stage::Customer),
            referral(1, "Tom Weber", 4, "Leo Lima", Stage::Prospect),
            referral(2, "Ana García", 5, "Ben Brook", Stage::Loyal),
            referral(2, "Ana García", 6, "Dan Dunn", Stage::Customer),
            referral(7, "Cleo Costa", 8, "Eve Ernst", Stage::Prospect),
        ]);
        assert_eq!(names(&window), ["Ana García", "Tom Weber", "Cleo Costa"]);
        assert_eq!(
            window.summary(),
            "3 people referred 5 contacts; 3 of them are customers."
        );
        window.sort_by(ReferralSort::Name);
        assert_eq!(names(&window), ["Ana García", "Cleo Costa", "Tom Weber"]);
        window.sort_by(ReferralSort::Name);
        assert_eq!(names(&window), ["Tom Weber", "Cleo Costa", "Ana García"]);
        window.sort_by(ReferralSort::Customers);
        assert_eq!(names(&window), ["Ana García", "Tom Weber", "Cleo Costa"]);
        // A referrer or anyone they referred, without accents or case.
        window.filter = "garcia".into();
        window.refresh();
        assert_eq!(names(&window), ["Ana García"]);
        window.filter = "LIMA".into();
        window.refresh();
        assert_eq!(names(&window), ["Tom Weber"]);
        assert_eq!(
            window.summary(),
            "1 person referred 2 contacts; 1 of them is a customer."
        );
        window.chosen = Some(ContactId(7));
        window.fill(&[
            referral(1, "Tom Weber", 4, "Leo Lima", Stage::Customer),
            referral(9, "Zoe Quiet", 3, "Mia Kurz", Stage::Customer),
        ]);
        assert_eq!(window.chosen, None, "Cleo referred nobody any more");
        assert_eq!(names(&window), ["Tom Weber"], "the filter stays");
    }

    #[test]
    fn the_dialog_saves_the_highlighted_person_or_says_what_is_missing() {
        let mut dialog = AddRelationship::new(ContactId(1), "Ana Lima");
        assert!(!dialog.is_dirty());
        assert_eq!(
            dialog.to_command().unwrap_err(),
            "Choose what Ana Lima is to the other person."
        );
        dialog.role = Some(Role::of(RelationKind::Spouse, Side::From));
        assert!(dialog.is_dirty());
        dialog.search = "Tmo".into();
        assert_eq!(
            dialog.to_command().unwrap_err(),
            "Nobody called \"Tmo\" was found; check the spelling."
        );
        dialog.search = "T".into();
        let candidate = |id, name: &str, organization: &str| Candidate {
            id: ContactId(id),
            name: name.into(),
            organization: organization.into(),
        };
        dialog.set_candidates(vec![
            candidate(1, "Ana Lima", ""),
            candidate(2, "Tom Weber", "Corner Bakery"),
            candidate(3, "Tina Turner", ""),
        ]);
        assert_eq!(dialog.candidates[0].label(), "Tom Weber · Corner Bakery");
        assert_eq!(dialog.candidates.len(), 2, "never herself");
        dialog.move_highlight(1);
        dialog.move_highlight(1);
        assert_eq!(dialog.highlighted, 1, "stays on the list");
        match dialog.to_command() {
            Ok(Command::Relate { other, .. }) => assert_eq!(other, ContactId(3)),
            other => panic!("{other:?}"),
        }
        dialog.choose(&candidate(2, "Tom Weber", "Corner Bakery"));
        assert_eq!(dialog.search, "Tom Weber");
        match dialog.to_command() {
            Ok(Command::Relate { other, .. }) => assert_eq!(other, ContactId(2)),
            other => panic!("{other:?}"),
        }
    }
}
