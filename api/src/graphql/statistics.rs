//! Statistics for staff (统计) over GraphQL: the suggestion, opinion, deputy and station activity tables of
//! a congress. Only
//! the congress's staff (and admins) read them; anyone else gets FORBIDDEN. The same tables download as CSV
//! and XLSX from `GET /exports/{name}.csv|.xlsx` (see `crate::exports`), read by the same functions.

use crate::graphql::error::ApiResult;
use crate::graphql::ids::NodeKind;
use crate::graphql::{ContextExt, ids};
use async_graphql::{Context, Enum, ID, Object, SimpleObject};
use chrono::{NaiveDate, Utc};
use edaibiao_domain::account::Actor;
use edaibiao_domain::statistics::{OpinionCounts, StationActivityCounts, SuggestionCounts};
use edaibiao_infra::Store;
use edaibiao_infra::statistics::{
    self as stats, DeputyStatRow, OpinionStatRow, StationActivityRow as StoredStationRow, SuggestionStatRow,
};
use uuid::Uuid;

/// How the suggestion table is split into rows.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "edaibiao_infra::statistics::SuggestionGroupBy")]
pub enum SuggestionGroupBy {
    /// By answering unit: the lead unit (主办), or each unit of a parallel handling (分办). Co-handling
    /// units (协办) do not answer and have no row. The total row counts every suggestion once.
    Unit,
    /// By the suggestion's category.
    Category,
    /// By the lead deputy's deputy group; deputies without a group make one row without `groupId`.
    DeputyGroup,
}

/// How the opinion table is split into rows.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "edaibiao_infra::statistics::OpinionGroupBy")]
pub enum OpinionGroupBy {
    /// By liaison station; opinions addressed to a deputy through their QR code make one row without
    /// `groupId`.
    Station,
    /// By the opinion's category.
    Category,
    /// By calendar month of submission (China Standard Time).
    Month,
}

/// One row of the suggestion table. Suggestions are counted by state; answers, ratings and deadlines by
/// answering part (the lead unit, or each unit of a parallel handling), since each part is answered and
/// rated on its own. Rates are null when their denominator is 0.
#[derive(SimpleObject, Debug, Clone)]
pub struct SuggestionStatisticsRow {
    /// The unit (HandlingUnit) or deputy group (DeputyGroup); null for categories, deputies without a
    /// group and the total row.
    pub group_id: Option<ID>,
    /// The category (by CATEGORY); null otherwise.
    pub key: Option<String>,
    /// What people read: the unit's or group's name, the category, or 合计 for the total.
    pub label: String,
    /// Suggestions counted (every state but DRAFT).
    pub suggestions: u64,
    /// In state PROPOSED (提出).
    pub proposed: u64,
    /// In state ASSIGNED (交办).
    pub assigned: u64,
    /// In state HANDLED (承办).
    pub handled: u64,
    /// In state ANSWERED (答复).
    pub answered: u64,
    /// In state RATED (评价).
    pub rated: u64,
    /// In state WITHDRAWN (撤回).
    pub withdrawn: u64,
    /// Answering parts of assigned suggestions.
    pub answering_parts: u64,
    /// Parts with a current answer.
    pub answers: u64,
    /// Answers over answering parts.
    pub answer_rate: Option<f64>,
    /// Answers given on or before the deadline.
    pub on_time_answers: u64,
    /// On-time answers over answers.
    pub on_time_rate: Option<f64>,
    /// A 类 answers (solved).
    pub class_a: u64,
    /// B 类 answers (being solved, a date promised).
    pub class_b: u64,
    /// C 类 answers (deferred).
    pub class_c: u64,
    /// D 类 answers (for reference).
    pub class_d: u64,
    /// A answers over answers.
    pub class_a_share: Option<f64>,
    /// B answers over answers.
    pub class_b_share: Option<f64>,
    /// C answers over answers.
    pub class_c_share: Option<f64>,
    /// D answers over answers.
    pub class_d_share: Option<f64>,
    /// Answers the lead deputy rated.
    pub rated_answers: u64,
    /// Rated satisfied (attitude and result both satisfied).
    pub satisfied: u64,
    /// Rated basically satisfied (neither dissatisfied, not both satisfied).
    pub basically_satisfied: u64,
    /// (Satisfied + basically satisfied) over rated answers.
    pub satisfaction_rate: Option<f64>,
    /// B answers whose implemented result the deputy rated.
    pub result_rated: u64,
    /// Of those, rated satisfied or basically satisfied.
    pub result_satisfied: u64,
    /// Result-satisfied over result-rated B answers.
    pub result_satisfied_rate: Option<f64>,
    /// Answering parts still owing an answer after the deadline.
    pub overdue: u64,
    /// Answers whose unit recorded a contact with the deputy (`recordContact`) made on or before
    /// answering (沟通).
    pub contacted_answers: u64,
    /// Contacted answers over answers (沟通率).
    pub contact_rate: Option<f64>,
}

impl SuggestionStatisticsRow {
    fn new(group_id: Option<ID>, key: Option<String>, label: String, c: &SuggestionCounts) -> Self {
        let [class_a_share, class_b_share, class_c_share, class_d_share] = c.class_shares();
        Self {
            group_id,
            key,
            label,
            suggestions: c.total(),
            proposed: c.proposed,
            assigned: c.assigned,
            handled: c.handled,
            answered: c.answered_state,
            rated: c.rated_state,
            withdrawn: c.withdrawn,
            answering_parts: c.parts,
            answers: c.answered,
            answer_rate: c.answer_rate(),
            on_time_answers: c.on_time,
            on_time_rate: c.on_time_rate(),
            contacted_answers: c.contacted,
            contact_rate: c.contact_rate(),
            class_a: c.class_a,
            class_b: c.class_b,
            class_c: c.class_c,
            class_d: c.class_d,
            class_a_share,
            class_b_share,
            class_c_share,
            class_d_share,
            rated_answers: c.rated,
            satisfied: c.satisfied,
            basically_satisfied: c.basically_satisfied,
            satisfaction_rate: c.satisfaction_rate(),
            result_rated: c.result_rated,
            result_satisfied: c.result_satisfied,
            result_satisfied_rate: c.result_satisfied_rate(),
            overdue: c.overdue,
        }
    }
}

/// The suggestion table of a congress for one year (suggestions created in that CST calendar year).
#[derive(SimpleObject, Debug, Clone)]
pub struct SuggestionStatistics {
    /// The year.
    pub year: i32,
    /// How the rows are split.
    pub group_by: SuggestionGroupBy,
    /// One row per group, by label.
    pub rows: Vec<SuggestionStatisticsRow>,
    /// Every suggestion of the year counted once (by UNIT this is not the sum of the rows).
    pub total: SuggestionStatisticsRow,
}

impl From<stats::SuggestionStatistics> for SuggestionStatistics {
    fn from(s: stats::SuggestionStatistics) -> Self {
        let kind = match s.group_by {
            stats::SuggestionGroupBy::Unit => Some(NodeKind::HandlingUnit),
            stats::SuggestionGroupBy::DeputyGroup => Some(NodeKind::DeputyGroup),
            stats::SuggestionGroupBy::Category => None,
        };
        let rows = s
            .rows
            .iter()
            .map(|SuggestionStatRow { key, label, counts }| {
                let (group_id, key) = split_key(kind, key);
                SuggestionStatisticsRow::new(group_id, key, label.clone(), counts)
            })
            .collect();
        Self {
            year: s.year,
            group_by: s.group_by.into(),
            rows,
            total: SuggestionStatisticsRow::new(None, None, TOTAL.to_owned(), &s.total),
        }
    }
}

/// The label of the total row.
pub const TOTAL: &str = "合计";

/// A row key as a global ID of `kind` (when the rows are records) or as plain text.
fn split_key(kind: Option<NodeKind>, key: &Option<String>) -> (Option<ID>, Option<String>) {
    match kind {
        Some(kind) => {
            (key.as_deref().and_then(|k| Uuid::parse_str(k).ok()).map(|id| ids::encode(kind, id)), None)
        }
        None => (None, key.clone()),
    }
}

/// One row of the opinion table. Rates and means are null when nothing is there to divide by.
#[derive(SimpleObject, Debug, Clone)]
pub struct OpinionStatisticsRow {
    /// The liaison station (by STATION); null otherwise and for opinions addressed to deputies.
    pub group_id: Option<ID>,
    /// The category name (by CATEGORY, e.g. TRANSPORT) or the month `YYYY-MM` (by MONTH); null otherwise.
    pub key: Option<String>,
    /// What people read: the station's name, the category in Chinese, the month, or 合计.
    pub label: String,
    /// Opinions submitted in the window.
    pub received: u64,
    /// Of them, taken by a deputy or station worker (受理).
    pub accepted: u64,
    /// Resolved directly by whoever took it (直接办理).
    pub resolved_directly: u64,
    /// Forwarded to a handling unit (转办).
    pub forwarded: u64,
    /// Turned into a suggestion (转为建议).
    pub converted: u64,
    /// Closed (办结).
    pub closed: u64,
    /// Opinions with feedback to the citizen.
    pub with_feedback: u64,
    /// Mean days from submission to feedback.
    pub mean_days_to_feedback: Option<f64>,
    /// Rated by the citizen.
    pub rated: u64,
    /// Rated satisfied or basically satisfied.
    pub satisfied: u64,
    /// Satisfied over rated.
    pub satisfaction_rate: Option<f64>,
}

impl OpinionStatisticsRow {
    fn new(group_id: Option<ID>, key: Option<String>, label: String, c: &OpinionCounts) -> Self {
        Self {
            group_id,
            key,
            label,
            received: c.received,
            accepted: c.accepted,
            resolved_directly: c.resolved_directly,
            forwarded: c.forwarded,
            converted: c.converted,
            closed: c.closed,
            with_feedback: c.with_feedback,
            mean_days_to_feedback: c.mean_days_to_feedback(),
            rated: c.rated,
            satisfied: c.satisfied,
            satisfaction_rate: c.satisfaction_rate(),
        }
    }
}

/// The opinion table of a congress for the opinions submitted between two days.
#[derive(SimpleObject, Debug, Clone)]
pub struct OpinionStatistics {
    /// The first day (CST), included.
    pub from: NaiveDate,
    /// The last day (CST), included.
    pub to: NaiveDate,
    /// How the rows are split.
    pub group_by: OpinionGroupBy,
    /// One row per group (by label; by MONTH in month order; months without opinions are left out).
    pub rows: Vec<OpinionStatisticsRow>,
    /// The sum of the rows.
    pub total: OpinionStatisticsRow,
}

impl From<stats::OpinionStatistics> for OpinionStatistics {
    fn from(s: stats::OpinionStatistics) -> Self {
        let kind = (s.group_by == stats::OpinionGroupBy::Station).then_some(NodeKind::LiaisonStation);
        let rows = s
            .rows
            .iter()
            .map(|OpinionStatRow { key, label, counts }| {
                let (group_id, key) = split_key(kind, key);
                OpinionStatisticsRow::new(group_id, key, label.clone(), counts)
            })
            .collect();
        Self {
            from: s.from,
            to: s.to,
            group_by: s.group_by.into(),
            rows,
            total: OpinionStatisticsRow::new(None, None, TOTAL.to_owned(), &s.total),
        }
    }
}

/// One deputy's year in numbers.
#[derive(SimpleObject, Debug, Clone)]
pub struct DeputyStatisticsRow {
    /// The deputy.
    pub deputy_id: ID,
    /// The deputy's name.
    pub name: String,
    /// The deputy's group, if any.
    pub deputy_group_id: Option<ID>,
    /// Points of the year (the ledger's total); null when the deputy has no ledger.
    pub points: Option<i64>,
    /// Rank by points in the congress (1 is first); null without a ledger.
    pub congress_rank: Option<u32>,
    /// Activities of the year attended.
    pub present: u64,
    /// Activities excused (leave approved).
    pub excused: u64,
    /// Activities missed without approved leave.
    pub absent: u64,
    /// Present over present + excused + absent, over activities whose attendance is settled.
    pub attendance_rate: Option<f64>,
    /// Suggestions led, as the duty record counts them: first submitted in the year, neither a draft again
    /// nor withdrawn.
    pub suggestions_led: u64,
    /// Suggestions co-signed (confirmed), counted as those led.
    pub suggestions_co_signed: u64,
    /// Citizens' opinions of the year addressed to the deputy or taken by them.
    pub opinions_received: u64,
    /// Of them, closed.
    pub opinions_closed: u64,
    /// Reception days served at liaison stations (not cancelled, begun).
    pub receptions_served: u64,
}

impl From<&DeputyStatRow> for DeputyStatisticsRow {
    fn from(r: &DeputyStatRow) -> Self {
        Self {
            deputy_id: ids::encode(NodeKind::Deputy, r.deputy_id),
            name: r.name.clone(),
            deputy_group_id: r.deputy_group_id.map(|id| ids::encode(NodeKind::DeputyGroup, id)),
            points: r.points,
            congress_rank: r.congress_rank,
            present: r.attendance.present,
            excused: r.attendance.excused,
            absent: r.attendance.absent,
            attendance_rate: r.attendance.rate(),
            suggestions_led: r.suggestions_led,
            suggestions_co_signed: r.suggestions_co_signed,
            opinions_received: r.opinions_received,
            opinions_closed: r.opinions_closed,
            receptions_served: r.receptions_served,
        }
    }
}

/// One liaison station in one month (联络站活跃度), or the sum of the table. Rates and means are null when
/// nothing is there to divide by.
#[derive(SimpleObject, Debug, Clone)]
pub struct StationActivityRow {
    /// The liaison station; null in the total.
    pub station_id: Option<ID>,
    /// The station's name, or 合计.
    pub label: String,
    /// The month `YYYY-MM` (China Standard Time); null in the total.
    pub month: Option<String>,
    /// Reception days planned to start in the month, cancelled ones included.
    pub scheduled_days: u64,
    /// Of them, cancelled.
    pub cancelled_days: u64,
    /// Of them, held: not cancelled, and with at least one reception record.
    pub held_days: u64,
    /// Held over scheduled and not cancelled.
    pub held_rate: Option<f64>,
    /// Reception records made in the month (with or without a reception day).
    pub records: u64,
    /// Visitors those records count.
    pub visitors: u64,
    /// Matters those records hold.
    pub matters: u64,
    /// Citizens' opinions submitted to the station in the month.
    pub opinions_received: u64,
    /// Of them, accepted (受理) by a deputy or station worker.
    pub opinions_accepted: u64,
    /// Mean hours from submission to acceptance, over the accepted ones.
    pub mean_hours_to_acceptance: Option<f64>,
    /// Nothing happened: no reception day held, no record, no opinion. Staff follow these up.
    pub inactive: bool,
}

impl StationActivityRow {
    fn new(station_id: Option<ID>, label: String, month: Option<String>, c: &StationActivityCounts) -> Self {
        Self {
            station_id,
            label,
            month,
            scheduled_days: c.scheduled_days,
            cancelled_days: c.cancelled_days,
            held_days: c.held_days,
            held_rate: c.held_rate(),
            records: c.records,
            visitors: c.visitors,
            matters: c.matters,
            opinions_received: c.opinions_received,
            opinions_accepted: c.opinions_accepted,
            mean_hours_to_acceptance: c.mean_hours_to_acceptance(),
            inactive: c.inactive(),
        }
    }
}

/// The station activity table of a congress: every liaison station in every month asked for.
#[derive(SimpleObject, Debug, Clone)]
pub struct StationActivity {
    /// The calendar year (China Standard Time).
    pub year: i32,
    /// The months shown, `YYYY-MM`: the one asked for, or every month of the year begun so far.
    pub months: Vec<String>,
    /// One row per station and month, by station name then month; months in which nothing happened included.
    pub rows: Vec<StationActivityRow>,
    /// How many rows are inactive (nothing happened at the station that month).
    pub inactive_count: u64,
    /// The sum of the rows.
    pub total: StationActivityRow,
}

impl From<stats::StationActivity> for StationActivity {
    fn from(s: stats::StationActivity) -> Self {
        let inactive_count = s.inactive().count() as u64;
        let rows = s
            .rows
            .iter()
            .map(|StoredStationRow { station_id, station_name, month, counts }| {
                StationActivityRow::new(
                    Some(ids::encode(NodeKind::LiaisonStation, *station_id)),
                    station_name.clone(),
                    Some(month.to_string()),
                    counts,
                )
            })
            .collect();
        Self {
            year: s.year,
            months: s.months.iter().map(ToString::to_string).collect(),
            rows,
            inactive_count,
            total: StationActivityRow::new(None, TOTAL.to_owned(), None, &s.total),
        }
    }
}

/// The station activity table, as the query and the export show it.
pub async fn station_activity_table(
    store: &Store,
    actor: &Actor,
    congress_id: Uuid,
    year: i32,
    month: Option<i32>,
) -> ApiResult<StationActivity> {
    let month = month
        .map(|m| {
            u32::try_from(m).map_err(|_| crate::graphql::error::ApiError::bad_input("month", "must be 1–12"))
        })
        .transpose()?;
    let s = stats::station_activity(&store.db, actor, congress_id, year, month, Utc::now()).await?;
    Ok(s.into())
}

/// The suggestion table, as the query and the export show it.
pub async fn suggestion_table(
    store: &Store,
    actor: &Actor,
    congress_id: Uuid,
    year: i32,
    group_by: SuggestionGroupBy,
) -> ApiResult<SuggestionStatistics> {
    let s = stats::suggestion_statistics(&store.db, actor, congress_id, year, group_by.into(), Utc::now())
        .await?;
    Ok(s.into())
}

/// The opinion table, as the query and the export show it.
pub async fn opinion_table(
    store: &Store,
    actor: &Actor,
    congress_id: Uuid,
    from: NaiveDate,
    to: NaiveDate,
    group_by: OpinionGroupBy,
) -> ApiResult<OpinionStatistics> {
    Ok(stats::opinion_statistics(&store.db, actor, congress_id, from, to, group_by.into()).await?.into())
}

/// The deputy table, as the query and the export show it.
pub async fn deputy_table(
    store: &Store,
    actor: &Actor,
    congress_id: Uuid,
    year: i32,
) -> ApiResult<Vec<DeputyStatisticsRow>> {
    let rows = stats::deputy_statistics(&store.db, actor, congress_id, year, Utc::now()).await?;
    Ok(rows.iter().map(DeputyStatisticsRow::from).collect())
}

#[derive(Default)]
pub struct StatisticsQuery;

#[Object]
impl StatisticsQuery {
    /// The suggestion table of a congress for the suggestions created in `year` (CST): counts by state,
    /// answer and on-time rates, the share of A/B/C/D answers, satisfaction, B results and overdue parts.
    /// For the congress's staff only (FORBIDDEN otherwise).
    async fn suggestion_statistics(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the congress.")] congress_id: ID,
        #[graphql(desc = "Calendar year (China Standard Time) the suggestions were created in, e.g. 2025.")]
        year: i32,
        #[graphql(desc = "How the rows are grouped.")] group_by: SuggestionGroupBy,
    ) -> ApiResult<SuggestionStatistics> {
        let actor = ctx.actor()?;
        let congress_id = ids::decode(NodeKind::Congress, "congressId", &congress_id)?;
        suggestion_table(&ctx.services()?.store, actor, congress_id, year, group_by).await
    }

    /// The opinion table of a congress for the opinions submitted from `from` to `to` (CST days, both
    /// included, at most five years): received, accepted, resolved directly, forwarded, converted, closed,
    /// mean days to feedback and satisfaction. For the congress's staff only (FORBIDDEN otherwise).
    async fn opinion_statistics(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the congress.")] congress_id: ID,
        #[graphql(desc = "First day counted (China Standard Time), included.")] from: NaiveDate,
        #[graphql(
            desc = "Last day counted (China Standard Time), included; at most five years after `from`."
        )]
        to: NaiveDate,
        #[graphql(desc = "How the rows are grouped.")] group_by: OpinionGroupBy,
    ) -> ApiResult<OpinionStatistics> {
        let actor = ctx.actor()?;
        let congress_id = ids::decode(NodeKind::Congress, "congressId", &congress_id)?;
        opinion_table(&ctx.services()?.store, actor, congress_id, from, to, group_by).await
    }

    /// The station activity table (联络站活跃度) of a congress: per liaison station and month of `year`
    /// (CST), reception days scheduled, cancelled and held, records, visitors and matters, opinions received
    /// and accepted with the mean hours to acceptance, and whether the station was inactive. For the
    /// congress's staff only (FORBIDDEN otherwise).
    async fn station_activity(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the congress.")] congress_id: ID,
        #[graphql(desc = "Calendar year (China Standard Time), e.g. 2026.")] year: i32,
        #[graphql(
            desc = "Only this month of the year, 1–12, which must have begun; every month begun if omitted."
        )]
        month: Option<i32>,
    ) -> ApiResult<StationActivity> {
        let actor = ctx.actor()?;
        let congress_id = ids::decode(NodeKind::Congress, "congressId", &congress_id)?;
        station_activity_table(&ctx.services()?.store, actor, congress_id, year, month).await
    }

    /// One row per deputy of the congress for `year` (CST), by name: points and rank, attendance,
    /// suggestions led and co-signed, opinions received and closed, reception days served. For the
    /// congress's staff only (FORBIDDEN otherwise).
    async fn deputy_statistics(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the congress.")] congress_id: ID,
        #[graphql(desc = "Calendar year (China Standard Time), e.g. 2025.")] year: i32,
    ) -> ApiResult<Vec<DeputyStatisticsRow>> {
        let actor = ctx.actor()?;
        let congress_id = ids::decode(NodeKind::Congress, "congressId", &congress_id)?;
        deputy_table(&ctx.services()?.store, actor, congress_id, year).await
    }
}
