//! Assembling the duty archive from the system's own records, in a fixed number of queries whatever the
//! number of deputies: suggestions (first submission, co-signers, official ratings), closed opinions,
//! reception days served, activities (through `activities::attendance_of`) and self-reported entries.

use crate::activities;
use crate::entity::{
    bill, bill_co_sponsor, course_completion, deputy, duty_entry, learning_material, liaison_station,
    opinion, reception_day, reception_day_deputy, suggestion, suggestion_co_signer,
    suggestion_satisfied_rating,
};
use crate::error::Result;
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use edaibiao_domain::deputy_report::counts_in_archive;
use edaibiao_domain::duty::activity::Attendance;
use edaibiao_domain::duty::points::{EntryKind, Tally};
use edaibiao_domain::duty::record::{EntryStatus, activity_entry, suggestion_counts, year_bounds};
use edaibiao_domain::opinion::OpinionState;
use edaibiao_domain::suggestion::{CoSignStatus, Suggestion, SuggestionState};
use edaibiao_domain::time::{cst_date, cst_start_of};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, IntoColumnRef, Query, SelectStatement};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::HashMap;
use uuid::Uuid;

/// The record an archive item comes from, named by its GraphQL type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Source {
    Suggestion(Uuid),
    Opinion(Uuid),
    ReceptionDay(Uuid),
    Activity(Uuid),
    DutyEntry(Uuid),
    Bill(Uuid),
    /// A course of the learning materials.
    LearningMaterial(Uuid),
    /// A deputy's own report of constituents' views (代表反映社情民意).
    DeputyReport(Uuid),
    /// A candidate of a selection (评选) that won, once the results were published.
    SelectionCandidate(Uuid),
}

impl Source {
    /// The record a countable entry of `kind` comes from.
    pub fn of_entry(kind: EntryKind, id: Uuid) -> Self {
        match kind {
            EntryKind::SuggestionLed
            | EntryKind::SuggestionCoSigned
            | EntryKind::SuggestionRatedSatisfied => Source::Suggestion(id),
            EntryKind::ActivityAttended
            | EntryKind::ActivityAbsentUnexcused
            | EntryKind::TrainingAttended
            | EntryKind::ReportToVoters
            | EntryKind::VotersReceived
            | EntryKind::ConstituencyVisited
            | EntryKind::InspectionAttended
            | EntryKind::ResearchAttended
            | EntryKind::PolicyTalkGiven
            | EntryKind::DeputyMeetingAttended
            | EntryKind::ExperienceExchanged => Source::Activity(id),
            EntryKind::OpinionClosed => Source::Opinion(id),
            EntryKind::ReceptionServed => Source::ReceptionDay(id),
            EntryKind::VerifiedOther | EntryKind::SessionSpeech => Source::DutyEntry(id),
            EntryKind::DeputyReportSubmitted => Source::DeputyReport(id),
            EntryKind::BillLed | EntryKind::BillCoSponsored => Source::Bill(id),
            EntryKind::CourseCompleted => Source::LearningMaterial(id),
            EntryKind::SuggestionSelected | EntryKind::DeputySelected => Source::SelectionCandidate(id),
        }
    }

    pub fn id(self) -> Uuid {
        match self {
            Source::Suggestion(id)
            | Source::Opinion(id)
            | Source::ReceptionDay(id)
            | Source::Activity(id)
            | Source::DutyEntry(id)
            | Source::Bill(id)
            | Source::LearningMaterial(id)
            | Source::DeputyReport(id)
            | Source::SelectionCandidate(id) => id,
        }
    }
}

/// Where an item shows in the archive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Section {
    ActivitiesAttended,
    /// Absent, with or without approved leave.
    ActivitiesMissed,
    Trainings,
    ReportsToVoters,
    SuggestionsLed,
    SuggestionsCoSigned,
    /// An official rating of SATISFIED for an answer to the deputy's suggestion.
    AnswersRatedSatisfied,
    OpinionsClosed,
    ReceptionDays,
    SelfReported,
    /// Bills the deputy led (议案领衔), dated by their tabling.
    BillsLed,
    /// Bills the deputy co-sponsored (附议), dated by their tabling.
    BillsCoSponsored,
    /// Courses of the learning materials the deputy completed (学习培训), dated by the completion.
    CoursesCompleted,
    /// The deputy's own reports of constituents' views (代表反映社情民意), dated by their submission;
    /// declined ones show (with `all`) but do not count.
    DeputyReports,
    /// Speeches at sessions (大会发言) staff recorded.
    SessionSpeeches,
    /// Wins in selections (评选: 优秀建议, 优秀代表), dated by the publication of the results.
    Selections,
}

/// One item of a deputy's archive.
#[derive(Debug, Clone, PartialEq)]
pub struct ArchiveItem {
    pub deputy_id: Uuid,
    pub section: Section,
    /// What it counts as for points and quotas; `None` for what is only shown (an excused absence, a
    /// self-reported entry not verified).
    pub kind: Option<EntryKind>,
    /// China Standard Time calendar day.
    pub date: NaiveDate,
    pub title: String,
    pub source: Source,
    pub attendance: Option<Attendance>,
    pub status: Option<EntryStatus>,
}

impl ArchiveItem {
    /// An identity of the item within one deputy's archive (the cursor of their activity trail): its
    /// source's UUID with the section mixed into the last bits, since one record can show in two sections
    /// (a suggestion led, and later an answer to it rated satisfied).
    pub fn key(&self) -> Uuid {
        Uuid::from_u128(self.source.id().as_u128() ^ u128::from(self.section as u8))
    }
}

/// The archive items of a congress's deputies (or of one deputy) dated in `year`. With `all`, also what only
/// shows (excused absences, pending and rejected entries); otherwise only what counts.
pub(super) async fn items(
    db: &impl ConnectionTrait,
    congress_id: Uuid,
    year: i32,
    deputy: Option<Uuid>,
    all: bool,
    now: DateTime<Utc>,
) -> Result<Vec<ArchiveItem>> {
    let (from, to) = year_bounds(year)?;
    // The sources are independent: their statements run at once (on separate pool connections; a
    // transaction runs them one after the other). Each fills its own list, appended in a fixed order.
    let (mut out, mut rated, mut opinions, mut receptions) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let ((), (), (), (), mut few) = tokio::try_join!(
        suggestion_items(db, congress_id, deputy, from, to, &mut out),
        rating_items(db, congress_id, deputy, from, to, &mut rated),
        opinion_items(db, congress_id, deputy, from, to, &mut opinions),
        reception_items(db, congress_id, deputy, from, to, Ord::min(to, now), &mut receptions),
        few_items(db, congress_id, year, deputy, all),
    )?;
    out.append(&mut rated);
    out.append(&mut opinions);
    out.append(&mut receptions);
    out.append(&mut few);
    out.retain(|i| i.date.year() == year);
    out.sort_by_key(|i| (i.date, i.source.id(), i.section as u8));
    Ok(out)
}

/// What counts for points of the congress's deputies in `year`, tallied by deputy: the sources with many
/// entries per deputy (suggestions led, co-signed and rated satisfied, opinions closed, reception days
/// served) counted by the database in each of the rule table's `stretches` (their first days), the others
/// one tally per entry. [`edaibiao_domain::duty::points::total`] scores them as [`items`]' entries score.
pub(super) async fn tallies(
    db: &impl ConnectionTrait,
    congress_id: Uuid,
    year: i32,
    stretches: &[NaiveDate],
    now: DateTime<Utc>,
) -> Result<HashMap<Uuid, Vec<Tally>>> {
    let (from, to) = year_bounds(year)?;
    let ended_by = Ord::min(to, now);
    let mut counted = Vec::new();
    for (i, first) in stretches.iter().enumerate() {
        let start = Ord::max(from, cst_start_of(*first));
        let end = stretches.get(i + 1).map_or(to, |next| Ord::min(to, cst_start_of(*next)));
        for (kind, statement) in many_entry_sources(congress_id, start, end, ended_by) {
            counted.push((kind, *first, statement));
        }
    }
    let counts =
        futures_util::future::try_join_all(counted.into_iter().map(|(kind, first, statement)| async move {
            let rows = db.query_all(&statement).await?;
            let mut out = Vec::with_capacity(rows.len());
            for row in rows {
                let Some(deputy_id) = row.try_get::<Option<Uuid>>("", "deputy_id")? else { continue };
                let n: i64 = row.try_get("", "n")?;
                out.push((deputy_id, Tally { kind, date: first, count: u64::try_from(n).unwrap_or(0) }));
            }
            Ok::<_, crate::Error>(out)
        }));
    let (counts, few) = tokio::try_join!(counts, Box::pin(few_items(db, congress_id, year, None, false)))?;
    let mut out: HashMap<Uuid, Vec<Tally>> = HashMap::new();
    for (deputy_id, tally) in counts.into_iter().flatten() {
        out.entry(deputy_id).or_default().push(tally);
    }
    for item in few.into_iter().filter(|i| i.date.year() == year) {
        let Some(kind) = item.kind else { continue };
        out.entry(item.deputy_id).or_default().push(Tally { kind, date: item.date, count: 1 });
    }
    Ok(out)
}

/// The sources with many entries per deputy, each as a statement counting a deputy's entries dated in
/// `[from, to)` (`deputy_id`, `n`): the same statements [`items`] reads them with, grouped.
fn many_entry_sources(
    congress_id: Uuid,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    ended_by: DateTime<Utc>,
) -> [(EntryKind, SelectStatement); 5] {
    fn grouped(mut statement: SelectStatement, deputy: impl IntoColumnRef + Clone) -> SelectStatement {
        statement
            .clear_selects()
            .expr_as(Expr::col(deputy.clone()), Alias::new("deputy_id"))
            .expr_as(Expr::cust("COUNT(*)"), Alias::new("n"))
            .group_by_col(deputy);
        statement
    }
    [
        (
            EntryKind::SuggestionLed,
            grouped(
                led(congress_id, None, from, to, false),
                (suggestion::Entity, suggestion::Column::LeadDeputyId),
            ),
        ),
        (
            EntryKind::SuggestionCoSigned,
            grouped(
                co_signed(congress_id, None, from, to, false),
                (suggestion_co_signer::Entity, suggestion_co_signer::Column::DeputyId),
            ),
        ),
        (
            EntryKind::SuggestionRatedSatisfied,
            grouped(
                ratings(congress_id, None, from, to, false),
                (suggestion_satisfied_rating::Entity, suggestion_satisfied_rating::Column::DeputyId),
            ),
        ),
        (
            EntryKind::OpinionClosed,
            grouped(
                closed_opinions(congress_id, None, from, to),
                (opinion::Entity, opinion::Column::DeputyId),
            ),
        ),
        (
            EntryKind::ReceptionServed,
            grouped(
                receptions(congress_id, None, from, to, ended_by),
                (reception_day_deputy::Entity, reception_day_deputy::Column::DeputyId),
            ),
        ),
    ]
}

/// The archive's sources with few entries per deputy: selections won, the deputy's own reports, bills,
/// courses, activities and self-reported entries.
async fn few_items(
    db: &impl ConnectionTrait,
    congress_id: Uuid,
    year: i32,
    deputy: Option<Uuid>,
    all: bool,
) -> Result<Vec<ArchiveItem>> {
    let (from, to) = year_bounds(year)?;
    let (mut out, mut entries, mut bills, mut courses) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let (attendance, (), (), (), reports, wins) = tokio::try_join!(
        activities::attendance_of(db, congress_id, from, to, deputy),
        entry_items(db, congress_id, deputy, year, all, &mut entries),
        bill_items(db, congress_id, deputy, from, to, &mut bills),
        course_items(db, congress_id, deputy, from, to, &mut courses),
        crate::deputy_reports::archive_rows(db, congress_id, deputy, from, to, all),
        crate::selections::archive_rows(db, congress_id, deputy, from, to),
    )?;
    for (deputy_id, id, kind, title, at) in wins {
        out.push(ArchiveItem {
            deputy_id,
            section: Section::Selections,
            kind: Some(kind),
            date: cst_date(at),
            title,
            source: Source::SelectionCandidate(id),
            attendance: None,
            status: None,
        });
    }
    for (deputy_id, id, title, state, at) in reports {
        out.push(ArchiveItem {
            deputy_id,
            section: Section::DeputyReports,
            kind: counts_in_archive(state).then_some(EntryKind::DeputyReportSubmitted),
            date: cst_date(at),
            title,
            source: Source::DeputyReport(id),
            attendance: None,
            status: None,
        });
    }
    out.append(&mut bills);
    out.append(&mut courses);
    for record in attendance {
        let kind = activity_entry(record.kind, record.attendance);
        let section = match (kind, record.attendance) {
            (Some(EntryKind::TrainingAttended), _) => Section::Trainings,
            (Some(EntryKind::ReportToVoters), _) => Section::ReportsToVoters,
            (Some(k), _) if k == EntryKind::ActivityAttended || k.general().is_some() => {
                Section::ActivitiesAttended
            }
            (_, Some(Attendance::Absent)) => Section::ActivitiesMissed,
            (_, Some(Attendance::Excused)) if all => Section::ActivitiesMissed,
            _ => continue,
        };
        out.push(ArchiveItem {
            deputy_id: record.deputy_id,
            section,
            kind,
            date: cst_date(record.starts_at),
            title: record.title,
            source: Source::Activity(record.activity_id),
            attendance: record.attendance,
            status: None,
        });
    }
    out.append(&mut entries);
    Ok(out)
}

/// Bills of the congress tabled in `[from, to)`: the lead sponsor's (BILL_LED) and each confirmed
/// co-sponsor's (BILL_CO_SPONSORED) entries, written with the tabling. A bill converted to a suggestion
/// still counts as the bill it was tabled as.
async fn bill_items(
    db: &impl ConnectionTrait,
    congress_id: Uuid,
    deputy: Option<Uuid>,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    out: &mut Vec<ArchiveItem>,
) -> Result<()> {
    let tabled = bill::Entity::find()
        .filter(bill::Column::CongressId.eq(congress_id))
        .filter(bill::Column::TabledAt.gte(from))
        .filter(bill::Column::TabledAt.lt(to))
        .all(db)
        .await?;
    if tabled.is_empty() {
        return Ok(());
    }
    let mut co = bill_co_sponsor::Entity::find()
        .filter(bill_co_sponsor::Column::BillId.is_in(tabled.iter().map(|b| b.id)))
        .filter(bill_co_sponsor::Column::Status.eq(CoSignStatus::Confirmed.as_str()));
    if let Some(d) = deputy {
        co = co.filter(bill_co_sponsor::Column::DeputyId.eq(d));
    }
    let co = co.all(db).await?;
    for b in &tabled {
        let Some(at) = b.tabled_at else { continue };
        let item = |deputy_id, section, kind| ArchiveItem {
            deputy_id,
            section,
            kind: Some(kind),
            date: cst_date(at),
            title: b.title.clone(),
            source: Source::Bill(b.id),
            attendance: None,
            status: None,
        };
        if deputy.is_none_or(|d| d == b.lead_deputy_id) {
            out.push(item(b.lead_deputy_id, Section::BillsLed, EntryKind::BillLed));
        }
        for c in co.iter().filter(|c| c.bill_id == b.id) {
            out.push(item(c.deputy_id, Section::BillsCoSponsored, EntryKind::BillCoSponsored));
        }
    }
    Ok(())
}

/// Courses completed in `[from, to)` by the congress's deputies (COURSE_COMPLETED), one per course and
/// deputy (the completion is stored once).
async fn course_items(
    db: &impl ConnectionTrait,
    congress_id: Uuid,
    deputy: Option<Uuid>,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    out: &mut Vec<ArchiveItem>,
) -> Result<()> {
    let mut query = Query::select()
        .column((course_completion::Entity, course_completion::Column::DeputyId))
        .column((course_completion::Entity, course_completion::Column::MaterialId))
        .column((course_completion::Entity, course_completion::Column::CompletedAt))
        .column((learning_material::Entity, learning_material::Column::Title))
        .from(course_completion::Entity)
        .inner_join(
            learning_material::Entity,
            Expr::col((learning_material::Entity, learning_material::Column::Id))
                .equals((course_completion::Entity, course_completion::Column::MaterialId)),
        )
        .and_where(
            Expr::col((course_completion::Entity, course_completion::Column::CongressId)).eq(congress_id),
        )
        .and_where(Expr::col((course_completion::Entity, course_completion::Column::CompletedAt)).gte(from))
        .and_where(Expr::col((course_completion::Entity, course_completion::Column::CompletedAt)).lt(to))
        .to_owned();
    if let Some(d) = deputy {
        query.and_where(Expr::col((course_completion::Entity, course_completion::Column::DeputyId)).eq(d));
    }
    for row in db.query_all(&query).await? {
        let at: DateTime<Utc> = row.try_get("", "completed_at")?;
        out.push(ArchiveItem {
            deputy_id: row.try_get("", "deputy_id")?,
            section: Section::CoursesCompleted,
            kind: Some(EntryKind::CourseCompleted),
            date: cst_date(at),
            title: row.try_get("", "title")?,
            source: Source::LearningMaterial(row.try_get("", "material_id")?),
            attendance: None,
            status: None,
        });
    }
    Ok(())
}

/// The counting states of a suggestion, as stored.
fn counting_states() -> Vec<&'static str> {
    SuggestionState::ALL.iter().filter(|s| suggestion_counts(**s)).map(|s| s.as_str()).collect()
}

/// Suggestions of the congress first submitted in `[from, to)` and still counting (led by `deputy`): id,
/// lead, title (with `titles`), first submission. Without titles an index-only scan
/// (`ix_suggestions_first_submitted`).
fn led(
    congress_id: Uuid,
    deputy: Option<Uuid>,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    titles: bool,
) -> SelectStatement {
    let s = suggestion::Entity;
    let mut query = Query::select()
        .columns([
            (s, suggestion::Column::Id),
            (s, suggestion::Column::LeadDeputyId),
            (s, suggestion::Column::FirstSubmittedAt),
        ])
        .from(s)
        .and_where(Expr::col((s, suggestion::Column::CongressId)).eq(congress_id))
        .and_where(Expr::col((s, suggestion::Column::FirstSubmittedAt)).gte(from))
        .and_where(Expr::col((s, suggestion::Column::FirstSubmittedAt)).lt(to))
        .and_where(Expr::col((s, suggestion::Column::State)).is_in(counting_states()))
        .to_owned();
    if titles {
        query.column((s, suggestion::Column::Title));
    }
    if let Some(d) = deputy {
        query.and_where(Expr::col((s, suggestion::Column::LeadDeputyId)).eq(d));
    }
    query
}

/// The confirmed co-signers (co-signed by `deputy`) of the suggestions [`led`] finds, with their
/// columns: the co-signers join the same filter, so the two statements do not wait on each other.
fn co_signed(
    congress_id: Uuid,
    deputy: Option<Uuid>,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    titles: bool,
) -> SelectStatement {
    let c = suggestion_co_signer::Entity;
    let mut query = led(congress_id, None, from, to, titles)
        .column((c, suggestion_co_signer::Column::DeputyId))
        .inner_join(
            c,
            Expr::col((c, suggestion_co_signer::Column::SuggestionId))
                .equals((suggestion::Entity, suggestion::Column::Id)),
        )
        .and_where(Expr::col((c, suggestion_co_signer::Column::Status)).eq(CoSignStatus::Confirmed.as_str()))
        .to_owned();
    if let Some(d) = deputy {
        query.and_where(Expr::col((c, suggestion_co_signer::Column::DeputyId)).eq(d));
    }
    query
}

/// The suggestions led and co-signed, dated by the first submission.
async fn suggestion_items(
    db: &impl ConnectionTrait,
    congress_id: Uuid,
    deputy: Option<Uuid>,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    out: &mut Vec<ArchiveItem>,
) -> Result<()> {
    let (led, co_signed) =
        (led(congress_id, deputy, from, to, true), co_signed(congress_id, deputy, from, to, true));
    let (led, co_signed) = tokio::try_join!(db.query_all(&led), db.query_all(&co_signed))?;
    for (rows, section, kind, deputy_column) in [
        (led, Section::SuggestionsLed, EntryKind::SuggestionLed, "lead_deputy_id"),
        (co_signed, Section::SuggestionsCoSigned, EntryKind::SuggestionCoSigned, "deputy_id"),
    ] {
        for row in rows {
            let at: DateTime<Utc> = row.try_get("", "first_submitted_at")?;
            out.push(ArchiveItem {
                deputy_id: row.try_get("", deputy_column)?,
                section,
                kind: Some(kind),
                date: cst_date(at),
                title: row.try_get("", "title")?,
                source: Source::Suggestion(row.try_get("", "id")?),
                attendance: None,
                status: None,
            });
        }
    }
    Ok(())
}

/// Official ratings of SATISFIED given in `[from, to)` on the congress's suggestions, as kept
/// (`suggestions::duty_facts`). The rating names its deputy: the lead deputy of this suggestion or of one
/// merged into it.
fn ratings(
    congress_id: Uuid,
    deputy: Option<Uuid>,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    titles: bool,
) -> SelectStatement {
    let r = suggestion_satisfied_rating::Entity;
    let mut query = Query::select()
        .columns([
            (r, suggestion_satisfied_rating::Column::SuggestionId),
            (r, suggestion_satisfied_rating::Column::DeputyId),
            (r, suggestion_satisfied_rating::Column::RatedAt),
        ])
        .from(r)
        .and_where(Expr::col((r, suggestion_satisfied_rating::Column::CongressId)).eq(congress_id))
        .and_where(Expr::col((r, suggestion_satisfied_rating::Column::RatedAt)).gte(from))
        .and_where(Expr::col((r, suggestion_satisfied_rating::Column::RatedAt)).lt(to))
        .to_owned();
    if titles {
        query.column((suggestion::Entity, suggestion::Column::Title)).inner_join(
            suggestion::Entity,
            Expr::col((suggestion::Entity, suggestion::Column::Id))
                .equals((r, suggestion_satisfied_rating::Column::SuggestionId)),
        );
    }
    if let Some(d) = deputy {
        query.and_where(Expr::col((r, suggestion_satisfied_rating::Column::DeputyId)).eq(d));
    }
    query
}

async fn rating_items(
    db: &impl ConnectionTrait,
    congress_id: Uuid,
    deputy: Option<Uuid>,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    out: &mut Vec<ArchiveItem>,
) -> Result<()> {
    for row in db.query_all(&ratings(congress_id, deputy, from, to, true)).await? {
        let at: DateTime<Utc> = row.try_get("", "rated_at")?;
        out.push(ArchiveItem {
            deputy_id: row.try_get("", "deputy_id")?,
            section: Section::AnswersRatedSatisfied,
            kind: Some(EntryKind::SuggestionRatedSatisfied),
            date: cst_date(at),
            title: row.try_get("", "title")?,
            source: Source::Suggestion(row.try_get("", "suggestion_id")?),
            attendance: None,
            status: None,
        });
    }
    Ok(())
}

/// Opinions addressed to a deputy (to `deputy`) and closed in `[from, to)`.
fn closed_opinions(
    congress_id: Uuid,
    deputy: Option<Uuid>,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> SelectStatement {
    let o = opinion::Entity;
    let mut query = Query::select()
        .column((o, opinion::Column::Id))
        .column((o, opinion::Column::DeputyId))
        .column((o, opinion::Column::TrackingCode))
        .column((o, opinion::Column::Category))
        .column((o, opinion::Column::ClosedAt))
        .from(o)
        .and_where(Expr::col((o, opinion::Column::CongressId)).eq(congress_id))
        .and_where(Expr::col((o, opinion::Column::State)).eq(OpinionState::Closed.as_str()))
        .and_where(Expr::col((o, opinion::Column::ClosedAt)).gte(from))
        .and_where(Expr::col((o, opinion::Column::ClosedAt)).lt(to))
        .to_owned();
    match deputy {
        Some(d) => query.and_where(Expr::col((o, opinion::Column::DeputyId)).eq(d)),
        None => query.and_where(Expr::col((o, opinion::Column::DeputyId)).is_not_null()),
    };
    query
}

async fn opinion_items(
    db: &impl ConnectionTrait,
    congress_id: Uuid,
    deputy: Option<Uuid>,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    out: &mut Vec<ArchiveItem>,
) -> Result<()> {
    for row in db.query_all(&closed_opinions(congress_id, deputy, from, to)).await? {
        let Some(deputy_id) = row.try_get::<Option<Uuid>>("", "deputy_id")? else { continue };
        let Some(closed_at) = row.try_get::<Option<DateTime<Utc>>>("", "closed_at")? else { continue };
        let code: String = row.try_get("", "tracking_code")?;
        let category: String = row.try_get("", "category")?;
        out.push(ArchiveItem {
            deputy_id,
            section: Section::OpinionsClosed,
            kind: Some(EntryKind::OpinionClosed),
            date: cst_date(closed_at),
            title: format!("{code} {category}"),
            source: Source::Opinion(row.try_get("", "id")?),
            attendance: None,
            status: None,
        });
    }
    Ok(())
}

/// Reception days the deputies (`deputy`) served that started in `[from, to)` and ended by `ended_by`, not
/// cancelled.
fn receptions(
    congress_id: Uuid,
    deputy: Option<Uuid>,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    ended_by: DateTime<Utc>,
) -> SelectStatement {
    let rdd = reception_day_deputy::Entity;
    let rd = reception_day::Entity;
    let mut query = Query::select()
        .column((rdd, reception_day_deputy::Column::DeputyId))
        .column((rd, reception_day::Column::Id))
        .column((rd, reception_day::Column::StartsAt))
        .expr_as(Expr::col((liaison_station::Entity, liaison_station::Column::Name)), Alias::new("station"))
        .from(rdd)
        .inner_join(
            rd,
            Expr::col((rd, reception_day::Column::Id))
                .equals((rdd, reception_day_deputy::Column::ReceptionDayId)),
        )
        .inner_join(
            deputy::Entity,
            Expr::col((deputy::Entity, deputy::Column::Id))
                .equals((rdd, reception_day_deputy::Column::DeputyId)),
        )
        .inner_join(
            liaison_station::Entity,
            Expr::col((liaison_station::Entity, liaison_station::Column::Id))
                .equals((rd, reception_day::Column::StationId)),
        )
        .and_where(Expr::col((deputy::Entity, deputy::Column::CongressId)).eq(congress_id))
        .and_where(Expr::col((rd, reception_day::Column::CancelledAt)).is_null())
        .and_where(Expr::col((rd, reception_day::Column::StartsAt)).gte(from))
        .and_where(Expr::col((rd, reception_day::Column::StartsAt)).lt(to))
        .and_where(Expr::col((rd, reception_day::Column::EndsAt)).lte(ended_by))
        .to_owned();
    if let Some(d) = deputy {
        query.and_where(Expr::col((rdd, reception_day_deputy::Column::DeputyId)).eq(d));
    }
    query
}

async fn reception_items(
    db: &impl ConnectionTrait,
    congress_id: Uuid,
    deputy: Option<Uuid>,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    ended_by: DateTime<Utc>,
    out: &mut Vec<ArchiveItem>,
) -> Result<()> {
    for row in db.query_all(&receptions(congress_id, deputy, from, to, ended_by)).await? {
        let starts_at: DateTime<Utc> = row.try_get("", "starts_at")?;
        let station: String = row.try_get("", "station")?;
        out.push(ArchiveItem {
            deputy_id: row.try_get("", "deputy_id")?,
            section: Section::ReceptionDays,
            kind: Some(EntryKind::ReceptionServed),
            date: cst_date(starts_at),
            title: station,
            source: Source::ReceptionDay(row.try_get("", "id")?),
            attendance: None,
            status: None,
        });
    }
    Ok(())
}

/// Self-reported entries dated in `year`: the verified ones, or with `all` every one.
async fn entry_items(
    db: &impl ConnectionTrait,
    congress_id: Uuid,
    deputy: Option<Uuid>,
    year: i32,
    all: bool,
    out: &mut Vec<ArchiveItem>,
) -> Result<()> {
    let first = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or_default();
    let next = NaiveDate::from_ymd_opt(year + 1, 1, 1).unwrap_or_default();
    let mut query = duty_entry::Entity::find()
        .filter(duty_entry::Column::CongressId.eq(congress_id))
        .filter(duty_entry::Column::HappenedOn.gte(first))
        .filter(duty_entry::Column::HappenedOn.lt(next))
        .order_by_asc(duty_entry::Column::HappenedOn);
    if !all {
        query = query.filter(duty_entry::Column::Status.eq(EntryStatus::Verified.as_str()));
    }
    if let Some(d) = deputy {
        query = query.filter(duty_entry::Column::DeputyId.eq(d));
    }
    for e in query.all(db).await? {
        let status = EntryStatus::parse(&e.status)?;
        let kind = match e.kind.as_deref() {
            Some(kind) => EntryKind::parse(kind)?,
            None => EntryKind::VerifiedOther,
        };
        out.push(ArchiveItem {
            deputy_id: e.deputy_id,
            section: if kind == EntryKind::SessionSpeech {
                Section::SessionSpeeches
            } else {
                Section::SelfReported
            },
            kind: (status == EntryStatus::Verified).then_some(kind),
            date: e.happened_on,
            title: e.title,
            source: Source::DutyEntry(e.id),
            attendance: None,
            status: Some(status),
        });
    }
    Ok(())
}

/// The answers and official ratings of a deputy's suggestions, for the archive: (class of each answer,
/// (attitude, result) of each official rating), by suggestion.
pub(super) async fn suggestion_outcomes(
    db: &impl ConnectionTrait,
    ids: &[Uuid],
) -> Result<HashMap<Uuid, SuggestionOutcome>> {
    let mut out = HashMap::new();
    if ids.is_empty() {
        return Ok(out);
    }
    let rows =
        suggestion::Entity::find().filter(suggestion::Column::Id.is_in(ids.iter().copied())).all(db).await?;
    for row in rows {
        let s: Suggestion = serde_json::from_str(&row.snapshot)
            .map_err(|e| crate::Error::Internal(format!("suggestion snapshot: {e}")))?;
        let parts = s.assignment.as_ref().map(|a| a.units.as_slice()).unwrap_or_default();
        out.insert(
            row.id,
            SuggestionOutcome {
                state: s.state,
                answers: parts.iter().filter_map(|p| p.answer.as_ref().map(|a| a.class)).collect(),
                ratings: parts
                    .iter()
                    .filter_map(|p| p.rating.as_ref().map(|r| (r.attitude, r.result)))
                    .collect(),
            },
        );
    }
    Ok(out)
}

/// How a suggestion in the archive fared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SuggestionOutcome {
    pub state: SuggestionState,
    pub answers: Vec<edaibiao_domain::suggestion::AnswerClass>,
    pub ratings: Vec<(edaibiao_domain::suggestion::Satisfaction, edaibiao_domain::suggestion::Satisfaction)>,
}
