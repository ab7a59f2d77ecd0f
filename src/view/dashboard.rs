//! What the dashboard draws: the attention list, birthdays, life events, recent conversations
//! and the charts, computed by the app off the frame loop and kept here as plain data.

use crate::insight::{AttentionItem, WeeklyTouches};
use crate::model::Channel;
use crate::store::health::{NearbyLifeEvent, RecentConversation, UpcomingBirthday};
use chrono::NaiveDateTime;

/// How many people the dashboard's attention list shows.
pub const ATTENTION_SHOWN: usize = 8;
/// Weeks in the touches-per-week chart.
pub const CHART_WEEKS: usize = 26;

/// What the dashboard draws, computed when it opens and after data changes.
#[derive(Debug, Clone, Default)]
pub struct DashboardData {
    pub now: Option<NaiveDateTime>,
    pub attention: Vec<AttentionItem>,
    pub attention_total: usize,
    pub birthdays: Vec<UpcomingBirthday>,
    pub life_events: Vec<NearbyLifeEvent>,
    pub recent: Vec<RecentConversation>,
    pub weekly: WeeklyTouches,
    /// Conversations per channel over the last 12 months, most used first.
    pub channels: Vec<(Channel, u32)>,
    /// Set while everyone's health is being computed: (done, total).
    pub health_progress: Option<(usize, usize)>,
    /// True while the lists are being computed for the first time.
    pub loading: bool,
}
