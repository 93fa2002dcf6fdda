//! The duty archive and self-reported entries.

use super::enums::{DutyEntryStatus, EntryKind};
use crate::graphql::activity::types::Attendance;
use crate::graphql::connection::{Conn, connection, page_request};
use crate::graphql::directory::Deputy;
use crate::graphql::error::ApiResult;
use crate::graphql::ids::NodeKind;
use crate::graphql::loaders::DeputyKey;
use crate::graphql::suggestion::{AnswerClass, Satisfaction};
use crate::graphql::{ContextExt, ids};
use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};
use edaibiao_infra::duty::{self, ArchiveItem, NewEntryInput, Section, Source, SuggestionOutcome};
use uuid::Uuid;

/// The kind and UUID of an archive item's source.
fn source_key(source: Source) -> (NodeKind, Uuid) {
    match source {
        Source::Suggestion(id) => (NodeKind::Suggestion, id),
        Source::Opinion(id) => (NodeKind::Opinion, id),
        Source::ReceptionDay(id) => (NodeKind::ReceptionDay, id),
        Source::Activity(id) => (NodeKind::Activity, id),
        Source::DutyEntry(id) => (NodeKind::DutyEntry, id),
        Source::Bill(id) => (NodeKind::Bill, id),
        Source::LearningMaterial(id) => (NodeKind::LearningMaterial, id),
        Source::DeputyReport(id) => (NodeKind::DeputyReport, id),
        Source::SelectionCandidate(id) => (NodeKind::SelectionCandidate, id),
    }
}

/// The global ID of an archive item's source.
pub(crate) fn source_id(source: Source) -> ID {
    let (kind, id) = source_key(source);
    ids::encode(kind, id)
}

/// The GraphQL type name of an archive item's source.
pub(crate) fn source_type(source: Source) -> &'static str {
    source_key(source).0.as_str()
}

/// A deputy's year (履职档案): everything they did, assembled from the system's own records; each entry links
/// to its source.
pub struct DutyArchive(duty::DutyArchive);

impl DutyArchive {
    fn section(&self, section: Section) -> Vec<ArchiveEntry> {
        self.0
            .items
            .iter()
            .filter(|i| i.section == section)
            .map(|i| ArchiveEntry {
                item: i.clone(),
                outcome: match i.source {
                    Source::Suggestion(id) => self.0.suggestions.get(&id).cloned(),
                    _ => None,
                },
            })
            .collect()
    }
}

/// A deputy's year (履职档案): everything they did, assembled from the system's own records; each entry links
/// to its source.
#[Object]
impl DutyArchive {
    /// The deputy.
    async fn deputy(&self, ctx: &Context<'_>) -> ApiResult<Option<Deputy>> {
        Ok(ctx.loader()?.load_one(DeputyKey(self.0.deputy_id)).await?.map(Deputy))
    }
    /// The calendar year (China Standard Time).
    async fn year(&self) -> i32 {
        self.0.year
    }
    /// Activities attended (trainings and reports to voters are listed on their own).
    async fn activities_attended(&self) -> Vec<ArchiveEntry> {
        self.section(Section::ActivitiesAttended)
    }
    /// Activities missed: absent without leave (a deduction) or excused (counts nothing).
    async fn activities_missed(&self) -> Vec<ArchiveEntry> {
        self.section(Section::ActivitiesMissed)
    }
    /// Trainings attended.
    async fn trainings(&self) -> Vec<ArchiveEntry> {
        self.section(Section::Trainings)
    }
    /// Reports to voters (述职) given.
    async fn reports_to_voters(&self) -> Vec<ArchiveEntry> {
        self.section(Section::ReportsToVoters)
    }
    /// Suggestions the deputy led, dated by their first submission, with their answers and ratings.
    async fn suggestions_led(&self) -> Vec<ArchiveEntry> {
        self.section(Section::SuggestionsLed)
    }
    /// Suggestions the deputy co-signed, dated by their first submission, with their answers and ratings.
    async fn suggestions_co_signed(&self) -> Vec<ArchiveEntry> {
        self.section(Section::SuggestionsCoSigned)
    }
    /// Answers to the deputy's suggestions that the deputy rated satisfied, dated by the rating.
    async fn answers_rated_satisfied(&self) -> Vec<ArchiveEntry> {
        self.section(Section::AnswersRatedSatisfied)
    }
    /// Citizens' opinions addressed to the deputy that were closed.
    async fn opinions_closed(&self) -> Vec<ArchiveEntry> {
        self.section(Section::OpinionsClosed)
    }
    /// Reception days the deputy served (not cancelled, already over).
    async fn reception_days(&self) -> Vec<ArchiveEntry> {
        self.section(Section::ReceptionDays)
    }
    /// Bills the deputy led (议案领衔), dated by their tabling.
    async fn bills_led(&self) -> Vec<ArchiveEntry> {
        self.section(Section::BillsLed)
    }
    /// Bills the deputy co-sponsored (附议), dated by their tabling.
    async fn bills_co_sponsored(&self) -> Vec<ArchiveEntry> {
        self.section(Section::BillsCoSponsored)
    }
    /// Courses of the learning materials the deputy completed (学习培训), dated by the completion.
    async fn courses_completed(&self) -> Vec<ArchiveEntry> {
        self.section(Section::CoursesCompleted)
    }
    /// The deputy's own reports of constituents' views (代表反映社情民意), dated by their submission; a
    /// declined report shows here without a kind (it does not count).
    async fn deputy_reports(&self) -> Vec<ArchiveEntry> {
        self.section(Section::DeputyReports)
    }
    /// Speeches at sessions (大会发言) staff recorded.
    async fn session_speeches(&self) -> Vec<ArchiveEntry> {
        self.section(Section::SessionSpeeches)
    }
    /// Wins in selections (评选): a suggestion selected a best suggestion (SUGGESTION_SELECTED, for its lead
    /// deputy) or the deputy selected a model deputy (DEPUTY_SELECTED), dated by the publication of the
    /// results; the source is the winning `SelectionCandidate`.
    async fn selections(&self) -> Vec<ArchiveEntry> {
        self.section(Section::Selections)
    }
    /// What the deputy reported themselves, with its status; only verified entries count.
    async fn self_reported(&self) -> Vec<ArchiveEntry> {
        self.section(Section::SelfReported)
    }
}

/// One entry of a duty archive.
pub struct ArchiveEntry {
    item: ArchiveItem,
    outcome: Option<SuggestionOutcome>,
}

/// One official rating of a unit's answer.
#[derive(SimpleObject)]
pub struct ArchiveRating {
    /// 办理态度.
    attitude: Satisfaction,
    /// 办理结果.
    result: Satisfaction,
}

/// One entry of a duty archive.
#[Object]
impl ArchiveEntry {
    /// What it counts as for points and quotas; null when it only shows (an excused absence, a pending or
    /// rejected self-reported entry).
    async fn kind(&self) -> Option<EntryKind> {
        self.item.kind.map(Into::into)
    }
    /// The day (China Standard Time).
    async fn date(&self) -> NaiveDate {
        self.item.date
    }
    /// What it was: the suggestion's or activity's title, the station, the opinion's tracking code.
    async fn title(&self) -> &str {
        &self.item.title
    }
    /// The global ID of the record it comes from (a Suggestion, Opinion, ReceptionDay, Activity, DutyEntry,
    /// Bill or LearningMaterial).
    async fn source_id(&self) -> ID {
        source_id(self.item.source)
    }
    /// The GraphQL type of that record.
    async fn source_type(&self) -> &'static str {
        source_type(self.item.source)
    }
    /// For an activity: the attendance.
    async fn attendance(&self) -> Option<Attendance> {
        self.item.attendance.map(Into::into)
    }
    /// For a self-reported entry: its status.
    async fn status(&self) -> Option<DutyEntryStatus> {
        self.item.status.map(Into::into)
    }
    /// For a suggestion: the class of each unit's answer so far.
    async fn answer_classes(&self) -> Vec<AnswerClass> {
        self.outcome.iter().flat_map(|o| o.answers.iter().map(|c| (*c).into())).collect()
    }
    /// For a suggestion: the lead deputy's ratings of the answers so far.
    async fn ratings(&self) -> Vec<ArchiveRating> {
        self.outcome
            .iter()
            .flat_map(|o| {
                o.ratings.iter().map(|(a, r)| ArchiveRating { attitude: (*a).into(), result: (*r).into() })
            })
            .collect()
    }
}

/// Something a deputy did outside the system (a visit, a speech), reported by them (staff verify or reject
/// it, and only verified entries count), or a speech at a session staff recorded (verified at once).
pub struct DutyEntry(pub duty::DutyEntry);

/// Something a deputy did outside the system (a visit, a speech), reported by them (staff verify or reject
/// it, and only verified entries count), or a speech at a session staff recorded (verified at once).
#[Object]
impl DutyEntry {
    /// Photos and PDFs that document the entry, in order (its deputy adds them until staff decide).
    async fn attachments(&self, ctx: &Context<'_>) -> ApiResult<Vec<crate::graphql::attachment::Attachment>> {
        crate::graphql::attachment::of(ctx, edaibiao_domain::attachment::OwnerKind::DutyEntry, self.0.id)
            .await
    }
    /// Global ID.
    pub async fn id(&self) -> ID {
        ids::encode(NodeKind::DutyEntry, self.0.id)
    }
    /// The deputy who reported it.
    async fn deputy(&self, ctx: &Context<'_>) -> ApiResult<Option<Deputy>> {
        Ok(ctx.loader()?.load_one(DeputyKey(self.0.deputy_id)).await?.map(Deputy))
    }
    /// What it was.
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// What happened.
    async fn note(&self) -> &str {
        &self.0.note
    }
    /// The day it happened (China Standard Time).
    async fn happened_on(&self) -> NaiveDate {
        self.0.happened_on
    }
    /// A link to a photo or document, if given.
    async fn attachment_url(&self) -> Option<&str> {
        self.0.attachment_url.as_deref()
    }
    /// Where it stands.
    async fn status(&self) -> DutyEntryStatus {
        self.0.status.into()
    }
    /// What it counts as once verified: VERIFIED_OTHER for the deputy's own entry, SESSION_SPEECH for a
    /// speech at a session staff recorded.
    async fn kind(&self) -> EntryKind {
        self.0.kind.into()
    }
    /// Why staff rejected it (or a remark when verifying).
    async fn reason(&self) -> Option<&str> {
        self.0.reason.as_deref()
    }
    /// When it was reported.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// When staff decided.
    async fn decided_at(&self) -> Option<DateTime<Utc>> {
        self.0.decided_at
    }
}

/// What a deputy reports.
#[derive(InputObject)]
pub struct DutyEntryInput {
    /// What it was, 1–200 characters.
    pub title: String,
    /// What happened, 1–2,000 characters.
    pub note: String,
    /// The day it happened (China Standard Time); not in the future.
    pub happened_on: NaiveDate,
    /// An http(s) link to a photo or document.
    pub attachment_url: Option<String>,
}

/// How many entries of one kind a deputy has in a year.
#[derive(SimpleObject)]
pub struct EntryCount {
    /// The kind.
    pub kind: EntryKind,
    /// How many.
    pub count: u32,
}

/// The public summary of a deputy's year: counts only, no details and no deductions.
#[derive(SimpleObject)]
pub struct DutySummary {
    /// The calendar year.
    pub year: i32,
    /// Entries by kind (kinds with none are left out).
    pub counts: Vec<EntryCount>,
}

/// The public summary of a deputy's year (for the public card).
pub async fn public_summary(ctx: &Context<'_>, deputy_id: Uuid, year: i32) -> ApiResult<DutySummary> {
    let counts = duty::public_summary(&ctx.services()?.store.db, deputy_id, year).await?;
    Ok(DutySummary {
        year,
        counts: counts.into_iter().map(|(kind, count)| EntryCount { kind: kind.into(), count }).collect(),
    })
}

/// A list field costs its page size times what each item asks for.

#[derive(Default)]
pub struct ArchiveQuery;

#[Object]
impl ArchiveQuery {
    /// The congress's self-reported entries (of one status, e.g. PENDING to find what waits for a
    /// decision), oldest first; for its staff.
    #[graphql(complexity = "crate::graphql::connection::page_cost(first, child_complexity)")]
    async fn duty_entries(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the congress.")] congress_id: ID,
        #[graphql(desc = "Only entries of this status, e.g. PENDING.")] status: Option<DutyEntryStatus>,
        #[graphql(desc = "Page size, 1–100 (default 20); above 100 is BAD_USER_INPUT.")] first: Option<i32>,
        #[graphql(desc = "Continue after this cursor (a `pageInfo.endCursor`).")] after: Option<String>,
    ) -> ApiResult<Conn<DutyEntry>> {
        let actor = ctx.actor()?;
        let congress_id = ids::decode(NodeKind::Congress, "congressId", &congress_id)?;
        let request = page_request(first, after)?;
        let store = &ctx.services()?.store;
        let page = duty::list_entries(store, actor, congress_id, status.map(Into::into), request).await?;
        Ok(connection(page, request, |m| m.id, DutyEntry))
    }

    /// A deputy's duty archive (履职档案) for a calendar year: for the deputy, staff of their congress and
    /// admins; anyone else is FORBIDDEN.
    async fn duty_archive(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the deputy.")] deputy_id: ID,
        #[graphql(desc = "Calendar year (China Standard Time), e.g. 2025.")] year: i32,
    ) -> ApiResult<DutyArchive> {
        let actor = ctx.actor()?;
        let deputy_id = ids::decode(NodeKind::Deputy, "deputyId", &deputy_id)?;
        Ok(DutyArchive(duty::duty_archive(&ctx.services()?.store.db, actor, deputy_id, year).await?))
    }

    /// A deputy's activity trail (代表活动轨迹): every duty event of a calendar year in time order (oldest
    /// first) — activities attended or missed, reception days served, suggestions led and co-signed,
    /// answers rated, opinions closed, reports, bills, courses, speeches, self-reported entries — the same
    /// entries `dutyArchive` shows, narrowed to the days `from`–`to` if given. For the deputy and staff of
    /// their congress (and admins); anyone else is FORBIDDEN.
    #[graphql(complexity = "crate::graphql::connection::page_cost(first, child_complexity)")]
    #[allow(clippy::too_many_arguments)]
    async fn duty_trail(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the deputy.")] deputy_id: ID,
        #[graphql(desc = "Calendar year (China Standard Time), e.g. 2025.")] year: i32,
        #[graphql(desc = "Only events on or after this day, a day of `year`.")] from: Option<NaiveDate>,
        #[graphql(desc = "Only events on or before this day, a day of `year`, not before `from`.")]
        to: Option<NaiveDate>,
        #[graphql(desc = "Page size, 1–100 (default 20); above 100 is BAD_USER_INPUT.")] first: Option<i32>,
        #[graphql(desc = "Continue after this cursor (a `pageInfo.endCursor`).")] after: Option<String>,
    ) -> ApiResult<Conn<ArchiveEntry>> {
        let actor = ctx.actor()?;
        let deputy_id = ids::decode(NodeKind::Deputy, "deputyId", &deputy_id)?;
        let request = page_request(first, after)?;
        let db = &ctx.services()?.store.db;
        let trail = duty::duty_trail(db, actor, deputy_id, year, from, to, request).await?;
        let outcomes = trail.suggestions;
        Ok(connection(trail.page, request, ArchiveItem::key, |item| ArchiveEntry {
            outcome: match item.source {
                Source::Suggestion(id) => outcomes.get(&id).cloned(),
                _ => None,
            },
            item,
        }))
    }
}

#[derive(Default)]
pub struct ArchiveMutation;

#[Object]
impl ArchiveMutation {
    /// A deputy adds something they did outside the system to their archive; it waits for staff. A retry
    /// with the same `idempotencyKey` (8–100 characters) returns the first entry.
    async fn add_duty_entry(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The details, as `DutyEntryInput` describes them.")] input: DutyEntryInput,
        #[graphql(
            desc = "Optional retry key, 8–100 characters: a repeat with the same key returns the first result and does not act twice."
        )]
        idempotency_key: Option<String>,
    ) -> ApiResult<DutyEntry> {
        let actor = ctx.actor()?;
        let input = NewEntryInput {
            title: input.title,
            note: input.note,
            happened_on: input.happened_on,
            attachment_url: input.attachment_url,
        };
        let store = &ctx.services()?.store;
        Ok(DutyEntry(duty::add_entry(store, actor, input, idempotency_key.as_deref()).await?))
    }

    /// Staff of the deputy's congress record a speech the deputy gave at a session (大会发言) in the
    /// deputy's archive: verified at once, it counts as SESSION_SPEECH; the deputy is notified
    /// (DUTY_SPEECH_RECORDED).
    async fn record_session_speech(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the deputy who spoke.")] deputy_id: ID,
        #[graphql(desc = "The speech: its title, a summary, the day (not in the future), a link.")]
        input: DutyEntryInput,
        #[graphql(
            desc = "Optional retry key, 8–100 characters: a repeat with the same key returns the first result and does not act twice."
        )]
        idempotency_key: Option<String>,
    ) -> ApiResult<DutyEntry> {
        let actor = ctx.actor()?;
        let deputy_id = ids::decode(NodeKind::Deputy, "deputyId", &deputy_id)?;
        let input = NewEntryInput {
            title: input.title,
            note: input.note,
            happened_on: input.happened_on,
            attachment_url: input.attachment_url,
        };
        let store = &ctx.services()?.store;
        Ok(DutyEntry(duty::record_speech(store, actor, deputy_id, input, idempotency_key.as_deref()).await?))
    }

    /// Staff of the deputy's congress verify (`verify: true`) or reject (with a `reason`) a pending entry;
    /// the deputy is notified. CONFLICT when it was already decided.
    async fn decide_duty_entry(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the duty entry.")] id: ID,
        #[graphql(desc = "`true` to verify the entry, `false` to reject it.")] verify: bool,
        #[graphql(desc = "Why the entry is rejected; required when `verify` is false.")] reason: Option<
            String,
        >,
    ) -> ApiResult<DutyEntry> {
        let actor = ctx.actor()?;
        let id = ids::decode(NodeKind::DutyEntry, "id", &id)?;
        let store = &ctx.services()?.store;
        Ok(DutyEntry(duty::decide_entry(store, actor, id, verify, reason.as_deref()).await?))
    }
}

/// A self-reported entry by global ID, for `node(id)`: null unless the viewer may read the deputy's record.
pub async fn entry_node(ctx: &Context<'_>, id: Uuid) -> ApiResult<Option<DutyEntry>> {
    let actor = ctx.actor()?;
    match duty::entry_for(&ctx.services()?.store, actor, id).await {
        Ok(entry) => Ok(Some(DutyEntry(entry))),
        Err(edaibiao_infra::Error::Domain(edaibiao_domain::DomainError::NotFound(_))) => Ok(None),
        Err(err) => Err(err.into()),
    }
}
