//! Downloads of the statistics tables: `GET /exports/{name}.csv` and `GET /exports/{name}.xlsx`, with
//! `name` one of `suggestion-statistics`, `opinion-statistics`, `deputy-statistics`, and the filters of
//! the GraphQL queries as query parameters (`congressId`, `year`, `groupBy`, `from`, `to`); and the results
//! of a livelihood-project round, `project-votes` and `project-ratings`, with `roundId`;
//! `bill-statistics` (bills by committee, on-time handling and by state), with `congressId`; the
//! open-legislation statistics, `legislative-call-statistics` (with `callId`) and `draft-law-statistics` (with
//! `draftId`, and `version` optionally); `station-activity` (联络站活跃度, with `congressId`, `year` and
//! optionally `month`); a deputy's activity trail, `duty-trail` (代表活动轨迹, with `deputyId`, `year`, and
//! optionally `from` and `to`); and contact work, `contact-coverage` (committees' and members' coverage,
//! then contacts per deputy) and `professional-group-statistics`, with `congressId` and `year`.
//!
//! Only the logged-in staff of the congress (bearer token, as for GraphQL), and for `duty-trail` also the
//! deputy themself: 401 without a valid token, 403 for anyone else, 400 for a missing or bad parameter, 404
//! for an unknown name or congress. The rows are
//! the GraphQL query's own (`graphql::statistics`), so a download always matches the screen. CSV is UTF-8
//! with a byte order mark so that Excel reads Chinese correctly; XLSX has a bold header row and numbers as
//! numbers; an empty cell means "no data" (a rate without denominator).

use crate::auth::{Auth, authenticate};
use crate::graphql::error::{ApiError, ErrorCode};
use crate::graphql::ids;
use crate::graphql::statistics::{
    self as st, DeputyStatisticsRow, OpinionGroupBy, OpinionStatisticsRow, SuggestionGroupBy,
    SuggestionStatisticsRow,
};
use crate::http::AppState;
use actix_web::http::StatusCode;
use actix_web::http::header::{AUTHORIZATION, CONTENT_DISPOSITION, CONTENT_TYPE, HeaderValue, RETRY_AFTER};
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::NaiveDate;
use std::collections::HashMap;

/// One cell: text, a number, or nothing.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Number(f64),
    Empty,
}

impl From<&str> for Cell {
    fn from(s: &str) -> Self {
        Cell::Text(s.to_owned())
    }
}

impl From<u64> for Cell {
    fn from(n: u64) -> Self {
        Cell::Number(n as f64)
    }
}

impl From<Option<f64>> for Cell {
    fn from(x: Option<f64>) -> Self {
        x.map_or(Cell::Empty, Cell::Number)
    }
}

/// A table to download: a header row and the rows, and the file's names.
pub struct Table {
    /// ASCII file name without extension, e.g. `suggestion-statistics-2026-unit`.
    pub file_stem: String,
    /// What people read, e.g. `建议办理统计-2026-按承办单位`.
    pub title: String,
    pub header: Vec<&'static str>,
    pub rows: Vec<Vec<Cell>>,
}

/// The download's format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Csv,
    Xlsx,
}

/// The table names that exist.
const NAMES: [&str; 12] = [
    "suggestion-statistics",
    "opinion-statistics",
    "deputy-statistics",
    "project-votes",
    "project-ratings",
    "bill-statistics",
    "legislative-call-statistics",
    "draft-law-statistics",
    "station-activity",
    "duty-trail",
    "contact-coverage",
    "professional-group-statistics",
];

pub async fn export(
    state: web::Data<AppState>,
    req: HttpRequest,
    file: web::Path<String>,
    query: web::Query<HashMap<String, String>>,
) -> HttpResponse {
    let header = req.headers().get(AUTHORIZATION).map(|v| v.to_str().unwrap_or("invalid"));
    let viewer = match authenticate(&state.services.store, &state.services.keys, header).await {
        Ok(Auth::Viewer(viewer)) => viewer,
        Ok(Auth::Anonymous) => {
            return refuse(
                ErrorCode::Unauthenticated.status(),
                "log in first: Authorization: Bearer <token>",
            );
        }
        Err(_) => {
            return refuse(ErrorCode::Unauthenticated.status(), "the access token is invalid or expired");
        }
    };
    let Some((name, format)) = parse_file(&file) else {
        return refuse(
            ErrorCode::NotFound.status(),
            "no such export; try suggestion-statistics.csv or .xlsx",
        );
    };
    let table = match table(&state, &viewer.actor, name, &query).await {
        Ok(table) => table,
        Err(err) => return api_refusal(err),
    };
    let (body, content_type, ext) = match format {
        Format::Csv => (csv_bytes(&table), "text/csv; charset=utf-8", "csv"),
        Format::Xlsx => match xlsx_bytes(&table) {
            Ok(bytes) => {
                (Ok(bytes), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx")
            }
            Err(e) => (Err(e), "", "xlsx"),
        },
    };
    match body {
        Ok(body) => HttpResponse::Ok()
            .insert_header((CONTENT_TYPE, content_type))
            .insert_header((CONTENT_DISPOSITION, content_disposition(&table, ext)))
            .body(body),
        Err(e) => {
            tracing::error!(error = %e, "export failed");
            refuse(ErrorCode::Internal.status(), "the export failed; it has been logged")
        }
    }
}

/// `suggestion-statistics.csv` → the name and format.
fn parse_file(file: &str) -> Option<(&str, Format)> {
    let (name, ext) = file.rsplit_once('.')?;
    let format = match ext {
        "csv" => Format::Csv,
        "xlsx" => Format::Xlsx,
        _ => return None,
    };
    NAMES.contains(&name).then_some((name, format))
}

/// A short plain-text refusal.
fn refuse(status: StatusCode, message: &str) -> HttpResponse {
    HttpResponse::build(status).content_type("text/plain; charset=utf-8").body(format!("{message}\n"))
}

/// An API error as a plain-text refusal with the status of its code (409 for CONFLICT, 429 with
/// `Retry-After` for RATE_LIMITED, …).
fn api_refusal(err: ApiError) -> HttpResponse {
    let mut response = refuse(err.code().status(), err.message());
    if let Some(value) = err.retry_after_secs().and_then(|secs| HeaderValue::from_str(&secs.to_string()).ok())
    {
        response.headers_mut().insert(RETRY_AFTER, value);
    }
    response
}

fn param<'a>(query: &'a HashMap<String, String>, name: &'static str) -> Result<&'a str, ApiError> {
    query.get(name).map(String::as_str).ok_or_else(|| ApiError::bad_input(name, "is required"))
}

fn year_param(query: &HashMap<String, String>) -> Result<i32, ApiError> {
    param(query, "year")?.parse().map_err(|_| ApiError::bad_input("year", "must be a year like 2026"))
}

fn date_param(query: &HashMap<String, String>, name: &'static str) -> Result<NaiveDate, ApiError> {
    NaiveDate::parse_from_str(param(query, name)?, "%Y-%m-%d")
        .map_err(|_| ApiError::bad_input(name, "must be a day like 2026-03-01"))
}

/// Reads the filters, runs the GraphQL query's function and lays its rows out.
async fn table(
    state: &AppState,
    actor: &edaibiao_domain::account::Actor,
    name: &str,
    query: &HashMap<String, String>,
) -> Result<Table, ApiError> {
    let store = &state.services.store;
    if name.starts_with("project-") {
        return project_table(store, actor, name, query).await;
    }
    if name == "legislative-call-statistics" || name == "draft-law-statistics" {
        return legislation_table(store, actor, name, query).await;
    }
    if name == "duty-trail" {
        return trail_table(store, actor, query).await;
    }
    let congress_id = ids::decode(
        crate::graphql::ids::NodeKind::Congress,
        "congressId",
        &param(query, "congressId")?.into(),
    )?;
    match name {
        "suggestion-statistics" => {
            let year = year_param(query)?;
            let (group_by, slug, word) = match param(query, "groupBy")? {
                "UNIT" => (SuggestionGroupBy::Unit, "unit", "按承办单位"),
                "CATEGORY" => (SuggestionGroupBy::Category, "category", "按类别"),
                "DEPUTY_GROUP" => (SuggestionGroupBy::DeputyGroup, "deputy-group", "按代表团组"),
                _ => return Err(ApiError::bad_input("groupBy", "must be UNIT, CATEGORY or DEPUTY_GROUP")),
            };
            let t = st::suggestion_table(store, actor, congress_id, year, group_by).await?;
            let rows = t.rows.iter().chain(std::iter::once(&t.total)).map(suggestion_row).collect();
            Ok(Table {
                file_stem: format!("suggestion-statistics-{year}-{slug}"),
                title: format!("建议办理统计-{year}-{word}"),
                header: SUGGESTION_HEADER.to_vec(),
                rows,
            })
        }
        "opinion-statistics" => {
            let (from, to) = (date_param(query, "from")?, date_param(query, "to")?);
            let (group_by, slug, word) = match param(query, "groupBy")? {
                "STATION" => (OpinionGroupBy::Station, "station", "按联络站"),
                "CATEGORY" => (OpinionGroupBy::Category, "category", "按类别"),
                "MONTH" => (OpinionGroupBy::Month, "month", "按月"),
                _ => return Err(ApiError::bad_input("groupBy", "must be STATION, CATEGORY or MONTH")),
            };
            let t = st::opinion_table(store, actor, congress_id, from, to, group_by).await?;
            let rows = t.rows.iter().chain(std::iter::once(&t.total)).map(opinion_row).collect();
            Ok(Table {
                file_stem: format!("opinion-statistics-{from}-{to}-{slug}"),
                title: format!("社情民意统计-{from}至{to}-{word}"),
                header: OPINION_HEADER.to_vec(),
                rows,
            })
        }
        "station-activity" => {
            let year = year_param(query)?;
            let month = match query.get("month") {
                None => None,
                Some(m) => Some(m.parse().map_err(|_| ApiError::bad_input("month", "must be 1–12"))?),
            };
            let t = st::station_activity_table(store, actor, congress_id, year, month).await?;
            let rows = t.rows.iter().chain(std::iter::once(&t.total)).map(station_row).collect();
            let (stem, title) = match month {
                Some(m) => (format!("station-activity-{year}-{m:02}"), format!("联络站活跃度-{year}-{m:02}")),
                None => (format!("station-activity-{year}"), format!("联络站活跃度-{year}")),
            };
            Ok(Table { file_stem: stem, title, header: STATION_HEADER.to_vec(), rows })
        }
        "bill-statistics" => {
            let s = edaibiao_infra::bills::bill_statistics(store, actor, congress_id).await?;
            let row = |r: &edaibiao_infra::bills::CommitteeRow| -> Vec<Cell> {
                vec![
                    r.name.as_str().into(),
                    r.bills.into(),
                    r.reviewed.into(),
                    r.closed.into(),
                    r.closed_on_time.into(),
                    edaibiao_domain::statistics::rate(r.closed_on_time, r.closed).into(),
                    r.overdue.into(),
                ]
            };
            let mut rows: Vec<Vec<Cell>> =
                s.by_committee.iter().chain(std::iter::once(&s.total)).map(row).collect();
            for (state, n) in &s.by_state {
                let mut cells = vec![format!("状态 {}", state.as_str()).as_str().into(), (*n).into()];
                cells.resize(BILL_HEADER.len(), Cell::Empty);
                rows.push(cells);
            }
            Ok(Table {
                file_stem: "bill-statistics".to_owned(),
                title: "代表议案办理统计".to_owned(),
                header: BILL_HEADER.to_vec(),
                rows,
            })
        }
        "contact-coverage" => {
            let year = year_param(query)?;
            let report = crate::graphql::contact::coverage_table(store, actor, congress_id, year).await?;
            Ok(Table {
                file_stem: format!("contact-coverage-{year}"),
                title: format!("联系代表覆盖统计-{year}"),
                header: CONTACT_COVERAGE_HEADER.to_vec(),
                rows: contact_coverage_rows(&report),
            })
        }
        "professional-group-statistics" => {
            let year = year_param(query)?;
            let rows = edaibiao_infra::deputy_contacts::professional_group_statistics(
                store,
                actor,
                congress_id,
                year,
            )
            .await?;
            Ok(Table {
                file_stem: format!("professional-group-statistics-{year}"),
                title: format!("代表专业小组活动统计-{year}"),
                header: PROFESSIONAL_GROUP_HEADER.to_vec(),
                rows: rows.iter().map(professional_group_row).collect(),
            })
        }
        _ => {
            let year = year_param(query)?;
            let rows = st::deputy_table(store, actor, congress_id, year).await?;
            Ok(Table {
                file_stem: format!("deputy-statistics-{year}"),
                title: format!("代表履职统计-{year}"),
                header: DEPUTY_HEADER.to_vec(),
                rows: rows.iter().map(deputy_row).collect(),
            })
        }
    }
}

/// The columns of the contact coverage table: one row per committee (类别 专工委), then per member
/// (常委会组成人员), then per deputy (代表: only the contacts received); `contactCoverage`'s rows in order.
pub const CONTACT_COVERAGE_HEADER: [&str; 7] =
    ["类别", "名称", "联系代表数", "已联系代表数", "联系次数", "全覆盖", "ID"];

fn contact_coverage_rows(report: &edaibiao_infra::deputy_contacts::CoverageReport) -> Vec<Vec<Cell>> {
    use crate::graphql::ids::NodeKind;
    let contactor =
        |word: &str, kind: NodeKind, r: &edaibiao_infra::deputy_contacts::CoverageRow| -> Vec<Cell> {
            vec![
                word.into(),
                r.name.as_str().into(),
                r.coverage.linked.into(),
                r.coverage.contacted.into(),
                r.coverage.contacts.into(),
                (if r.coverage.covered() { "是" } else { "否" }).into(),
                ids::encode(kind, r.id).as_str().into(),
            ]
        };
    let committees = report.committees.iter().map(|r| contactor("专工委", NodeKind::Committee, r));
    let members = report.members.iter().map(|r| contactor("常委会组成人员", NodeKind::Deputy, r));
    let deputies = report.deputies.iter().map(|d| {
        vec![
            "代表".into(),
            d.name.as_str().into(),
            Cell::Empty,
            Cell::Empty,
            d.contacts.into(),
            Cell::Empty,
            ids::encode(NodeKind::Deputy, d.deputy_id).as_str().into(),
        ]
    });
    committees.chain(members).chain(deputies).collect()
}

/// The columns of the professional group table, `professionalGroupStatistics`'s fields in order.
pub const PROFESSIONAL_GROUP_HEADER: [&str; 8] =
    ["专业小组", "成员数", "活动数", "出席", "请假", "缺席", "出席率", "专业小组ID"];

fn professional_group_row(r: &edaibiao_infra::deputy_contacts::ProfessionalGroupRow) -> Vec<Cell> {
    vec![
        r.name.as_str().into(),
        r.members.into(),
        r.activities.into(),
        r.attendance.present.into(),
        r.attendance.excused.into(),
        r.attendance.absent.into(),
        r.attendance.rate().into(),
        ids::encode(crate::graphql::ids::NodeKind::ProfessionalGroup, r.id).as_str().into(),
    ]
}

/// The columns of the bill table: one row per committee, the total, then one row per state (its name and
/// count).
pub const BILL_HEADER: [&str; 7] =
    ["委员会", "议案数", "已审议", "已办结", "按期办结", "按期办结率", "超期未办结"];

/// The columns of the suggestion table, in the order of [`suggestion_row`].
pub const SUGGESTION_HEADER: [&str; 32] = [
    "分组",
    "建议数",
    "提出",
    "交办",
    "承办",
    "答复",
    "评价",
    "撤回",
    "应答复件次",
    "已答复",
    "答复率",
    "按期答复",
    "按期答复率",
    "A类",
    "B类",
    "C类",
    "D类",
    "A类占比",
    "B类占比",
    "C类占比",
    "D类占比",
    "已评价",
    "满意",
    "基本满意",
    "满意率",
    "B类结果已评价",
    "B类结果满意",
    "B类结果满意率",
    "超期未答复",
    "沟通后答复",
    "沟通率",
    "分组键",
];

fn suggestion_row(r: &SuggestionStatisticsRow) -> Vec<Cell> {
    let key = r.group_id.as_ref().map(|id| id.to_string()).or_else(|| r.key.clone()).unwrap_or_default();
    vec![
        r.label.as_str().into(),
        r.suggestions.into(),
        r.proposed.into(),
        r.assigned.into(),
        r.handled.into(),
        r.answered.into(),
        r.rated.into(),
        r.withdrawn.into(),
        r.answering_parts.into(),
        r.answers.into(),
        r.answer_rate.into(),
        r.on_time_answers.into(),
        r.on_time_rate.into(),
        r.class_a.into(),
        r.class_b.into(),
        r.class_c.into(),
        r.class_d.into(),
        r.class_a_share.into(),
        r.class_b_share.into(),
        r.class_c_share.into(),
        r.class_d_share.into(),
        r.rated_answers.into(),
        r.satisfied.into(),
        r.basically_satisfied.into(),
        r.satisfaction_rate.into(),
        r.result_rated.into(),
        r.result_satisfied.into(),
        r.result_satisfied_rate.into(),
        r.overdue.into(),
        r.contacted_answers.into(),
        r.contact_rate.into(),
        key.as_str().into(),
    ]
}

/// The columns of the opinion table, in the order of [`opinion_row`].
pub const OPINION_HEADER: [&str; 13] = [
    "分组",
    "收到",
    "受理",
    "直接办理",
    "转办",
    "转为建议",
    "办结",
    "已反馈",
    "平均反馈天数",
    "已评价",
    "满意",
    "满意率",
    "分组键",
];

fn opinion_row(r: &OpinionStatisticsRow) -> Vec<Cell> {
    let key = r.group_id.as_ref().map(|id| id.to_string()).or_else(|| r.key.clone()).unwrap_or_default();
    vec![
        r.label.as_str().into(),
        r.received.into(),
        r.accepted.into(),
        r.resolved_directly.into(),
        r.forwarded.into(),
        r.converted.into(),
        r.closed.into(),
        r.with_feedback.into(),
        r.mean_days_to_feedback.into(),
        r.rated.into(),
        r.satisfied.into(),
        r.satisfaction_rate.into(),
        key.as_str().into(),
    ]
}

/// The columns of the deputy table, in the order of [`deputy_row`].
pub const DEPUTY_HEADER: [&str; 14] = [
    "代表",
    "积分",
    "排名",
    "出席",
    "请假",
    "缺席",
    "出席率",
    "领衔建议",
    "附议建议",
    "收到社情民意",
    "办结社情民意",
    "接待选民",
    "代表ID",
    "代表团组ID",
];

fn deputy_row(r: &DeputyStatisticsRow) -> Vec<Cell> {
    vec![
        r.name.as_str().into(),
        r.points.map(|p| p as f64).into(),
        r.congress_rank.map(f64::from).into(),
        r.present.into(),
        r.excused.into(),
        r.absent.into(),
        r.attendance_rate.into(),
        r.suggestions_led.into(),
        r.suggestions_co_signed.into(),
        r.opinions_received.into(),
        r.opinions_closed.into(),
        r.receptions_served.into(),
        r.deputy_id.as_str().into(),
        r.deputy_group_id.as_ref().map_or("", |id| id.as_str()).into(),
    ]
}

/// The columns of the station activity table, in the order of [`station_row`].
pub const STATION_HEADER: [&str; 14] = [
    "联络站",
    "月份",
    "计划接待日",
    "取消",
    "已开展",
    "开展率",
    "接待记录",
    "接待人次",
    "反映事项",
    "收到社情民意",
    "已受理",
    "平均受理用时(小时)",
    "无活动",
    "联络站ID",
];

fn station_row(r: &st::StationActivityRow) -> Vec<Cell> {
    vec![
        r.label.as_str().into(),
        r.month.as_deref().unwrap_or("").into(),
        r.scheduled_days.into(),
        r.cancelled_days.into(),
        r.held_days.into(),
        r.held_rate.into(),
        r.records.into(),
        r.visitors.into(),
        r.matters.into(),
        r.opinions_received.into(),
        r.opinions_accepted.into(),
        r.mean_hours_to_acceptance.into(),
        (if r.inactive { "是" } else { "" }).into(),
        r.station_id.as_ref().map_or("", |id| id.as_str()).into(),
    ]
}

/// The columns of a deputy's activity trail, in the order of [`trail_table`]'s rows.
pub const TRAIL_HEADER: [&str; 7] = ["日期", "栏目", "事项", "计分类别", "出勤", "状态", "来源ID"];

/// A deputy's activity trail (代表活动轨迹) as `dutyTrail` reads it, every event of the period, oldest first.
async fn trail_table(
    store: &edaibiao_infra::Store,
    actor: &edaibiao_domain::account::Actor,
    query: &HashMap<String, String>,
) -> Result<Table, ApiError> {
    use edaibiao_infra::duty::{self, Section};
    use edaibiao_infra::page::PageRequest;
    let deputy_id =
        ids::decode(crate::graphql::ids::NodeKind::Deputy, "deputyId", &param(query, "deputyId")?.into())?;
    let year = year_param(query)?;
    let day = |name: &'static str| query.contains_key(name).then(|| date_param(query, name)).transpose();
    let (from, to) = (day("from")?, day("to")?);
    // A year holds a few hundred events; the cap only bounds a pathological archive.
    let request = PageRequest { first: 20_000, after: None };
    let trail = duty::duty_trail(&store.db, actor, deputy_id, year, from, to, request).await?;
    let section = |s: Section| match s {
        Section::ActivitiesAttended => "参加活动",
        Section::ActivitiesMissed => "缺席活动",
        Section::Trainings => "学习培训",
        Section::ReportsToVoters => "向选民述职",
        Section::SuggestionsLed => "领衔建议",
        Section::SuggestionsCoSigned => "附议建议",
        Section::AnswersRatedSatisfied => "答复评价满意",
        Section::OpinionsClosed => "办结社情民意",
        Section::ReceptionDays => "接待选民",
        Section::SelfReported => "自行填报",
        Section::BillsLed => "领衔议案",
        Section::BillsCoSponsored => "附议议案",
        Section::CoursesCompleted => "完成课程",
        Section::DeputyReports => "反映社情民意",
        Section::SessionSpeeches => "大会发言",
        Section::Selections => "评选表彰",
    };
    let rows = trail
        .page
        .items
        .iter()
        .map(|item| {
            vec![
                item.date.to_string().as_str().into(),
                section(item.section).into(),
                item.title.as_str().into(),
                item.kind.map_or("", |k| k.as_str()).into(),
                item.attendance.map_or("", |a| a.as_str()).into(),
                item.status.map_or("", |s| s.as_str()).into(),
                crate::graphql::duty::archive::source_id(item.source).as_str().into(),
            ]
        })
        .collect();
    Ok(Table {
        file_stem: format!("duty-trail-{year}"),
        title: format!("代表活动轨迹-{year}"),
        header: TRAIL_HEADER.to_vec(),
        rows,
    })
}

/// `attachment` with an ASCII `filename` and the readable name in `filename*` (RFC 6266 / RFC 5987).
fn content_disposition(table: &Table, ext: &str) -> String {
    format!(
        "attachment; filename=\"{}.{ext}\"; filename*=UTF-8''{}.{ext}",
        table.file_stem,
        percent_encode(&table.title)
    )
}

/// RFC 5987 `value-chars`: attr-chars as they are, every other byte as `%XX`.
fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A number as CSV shows it: integers without a decimal point, others in full.
fn number_text(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 { format!("{}", x as i64) } else { format!("{x}") }
}

/// A text cell as CSV carries it: one that a spreadsheet would read as a formula (OWASP's rule: it starts
/// with `=`, `+`, `-`, `@`, a tab or a carriage return) gets a leading `'`, so a unit named
/// `=HYPERLINK(…)` stays text. XLSX needs none of this: it stores text cells as text.
fn csv_text(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{s}") } else { s.to_owned() }
}

/// UTF-8 with a byte order mark.
fn csv_bytes(table: &Table) -> Result<Vec<u8>, String> {
    let mut writer = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    writer.write_record(&table.header).map_err(|e| e.to_string())?;
    for row in &table.rows {
        let fields = row.iter().map(|c| match c {
            Cell::Text(s) => csv_text(s),
            Cell::Number(x) => number_text(*x),
            Cell::Empty => String::new(),
        });
        writer.write_record(fields).map_err(|e| e.to_string())?;
    }
    writer.into_inner().map_err(|e| e.to_string())
}

fn xlsx_bytes(table: &Table) -> Result<Vec<u8>, String> {
    use rust_xlsxwriter::{Format, Workbook};
    let run = || -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
        let mut workbook = Workbook::new();
        let sheet = workbook.add_worksheet();
        let bold = Format::new().set_bold();
        for (col, title) in table.header.iter().enumerate() {
            sheet.write_string_with_format(0, col_index(col), *title, &bold)?;
        }
        for (i, row) in table.rows.iter().enumerate() {
            let r = u32::try_from(i + 1).unwrap_or(u32::MAX);
            for (col, cell) in row.iter().enumerate() {
                match cell {
                    Cell::Text(s) => {
                        sheet.write_string(r, col_index(col), s)?;
                    }
                    Cell::Number(x) => {
                        sheet.write_number(r, col_index(col), *x)?;
                    }
                    Cell::Empty => {}
                }
            }
        }
        sheet.set_freeze_panes(1, 0)?;
        workbook.save_to_buffer()
    };
    run().map_err(|e| e.to_string())
}

fn col_index(col: usize) -> u16 {
    u16::try_from(col).unwrap_or(u16::MAX)
}

/// `project-votes` (each candidate's vote result) or `project-ratings` (each project's year-end rating and
/// the round's overall rating) of the round `roundId`, for the congress's staff, once the results are
/// theirs to see (the vote closed; the rating published).
/// The columns of the open-legislation tables, in the order of [`legislation_row`].
pub const LEGISLATION_HEADER: [&str; 8] =
    ["分组", "数量", "人次", "待处理", "采纳（列入）", "部分采纳（合并）", "未采纳", "采纳率"];

fn legislation_row(label: &str, c: &edaibiao_domain::legislation::OutcomeCounts, people: u64) -> Vec<Cell> {
    vec![
        label.into(),
        c.total.into(),
        people.into(),
        c.pending.into(),
        c.positive.into(),
        c.partial.into(),
        c.negative.into(),
        c.adoption_rate().into(),
    ]
}

/// A call's proposals (`callId`) or a draft's comments (`draftId`, optional `version`) counted by source
/// kind, by kind or article, and in total (last), for the congress's staff.
async fn legislation_table(
    store: &edaibiao_infra::Store,
    actor: &edaibiao_domain::account::Actor,
    name: &str,
    query: &HashMap<String, String>,
) -> Result<Table, ApiError> {
    use edaibiao_domain::legislation::{ProposalKind, SourceKind};
    use edaibiao_infra::legislation as store_legislation;
    let source = |k: SourceKind| match k {
        SourceKind::Deputy => "人大代表",
        SourceKind::Citizen => "公众（账号）",
        SourceKind::Phone => "公众（手机验证）",
        SourceKind::ContactPoint => "基层立法联系点",
    };
    if name == "legislative-call-statistics" {
        let id = ids::decode(ids::NodeKind::LegislativeCall, "callId", &param(query, "callId")?.into())?;
        let (call, stats) = store_legislation::call_statistics(store, actor, id).await?;
        let mut rows = Vec::new();
        for (k, c) in &stats.by_source {
            rows.push(legislation_row(source(*k), c, c.total));
        }
        for (k, c) in &stats.by_kind {
            let label = if *k == ProposalKind::Make { "制定" } else { "修改" };
            rows.push(legislation_row(label, c, c.total));
        }
        rows.push(legislation_row("合计", &stats.total, stats.total.total));
        let date = call.created_at.format("%Y-%m-%d");
        return Ok(Table {
            file_stem: format!("legislative-call-statistics-{date}"),
            title: format!("立法建议项目征集统计-{}", call.title),
            header: LEGISLATION_HEADER.to_vec(),
            rows,
        });
    }
    let id = ids::decode(ids::NodeKind::DraftLaw, "draftId", &param(query, "draftId")?.into())?;
    let version = match query.get("version") {
        Some(v) => Some(v.parse::<i32>().map_err(|_| ApiError::bad_input("version", "must be a number"))?),
        None => None,
    };
    let (draft, stats) = store_legislation::draft_statistics(store, actor, id, version).await?;
    let mut rows = Vec::new();
    for (k, c, people) in &stats.by_source {
        rows.push(legislation_row(source(*k), c, *people));
    }
    for (article, c) in &stats.by_article {
        let label = match article {
            Some(a) => format!("第{}稿 {}", a.version, a.number),
            None => "草案整体".to_owned(),
        };
        rows.push(legislation_row(&label, c, c.total));
    }
    rows.push(legislation_row("合计", &stats.total, stats.people));
    Ok(Table {
        file_stem: format!(
            "draft-law-statistics-{}",
            version.map_or_else(|| "all".to_owned(), |v| format!("v{v}"))
        ),
        title: format!("法规草案征求意见统计-{}", draft.title),
        header: LEGISLATION_HEADER.to_vec(),
        rows,
    })
}

async fn project_table(
    store: &edaibiao_infra::Store,
    actor: &edaibiao_domain::account::Actor,
    name: &str,
    query: &HashMap<String, String>,
) -> Result<Table, ApiError> {
    use edaibiao_infra::projects;
    let round_id = ids::decode(ids::NodeKind::ProjectRound, "roundId", &param(query, "roundId")?.into())?;
    let round = projects::round_for(store, Some(actor), round_id).await?;
    if !actor.is_staff_of(round.congress_id) {
        return Err(edaibiao_domain::DomainError::forbidden("exports are for the congress's staff").into());
    }
    let not_yet = || ApiError::from(edaibiao_domain::DomainError::conflict("the results are not out yet"));
    let year = round.year;
    if name == "project-votes" {
        let mut rows = Vec::new();
        for c in projects::candidates(store, &round).await? {
            let r = c.result.as_ref().ok_or_else(not_yet)?;
            let verdict = match r.verdict {
                edaibiao_domain::ballot::Verdict::Passed => "入选",
                edaibiao_domain::ballot::Verdict::Failed => "未入选",
                edaibiao_domain::ballot::Verdict::Tied => "票数相同待定",
            };
            let t = &r.tally;
            rows.push(vec![
                c.title.as_str().into(),
                Cell::Number(c.budget_fen as f64 / 1_000_000.0),
                u64::from(r.rank).into(),
                verdict.into(),
                u64::from(t.chosen).into(),
                u64::from(t.for_).into(),
                u64::from(t.against).into(),
                u64::from(t.abstain).into(),
            ]);
        }
        return Ok(Table {
            file_stem: format!("project-votes-{year}"),
            title: format!("民生实事项目票决结果-{year}"),
            header: vec!["项目", "预算（万元）", "排名", "结果", "选票", "赞成", "反对", "弃权"],
            rows,
        });
    }
    let overall = projects::overall_rating(store, &round).await?.ok_or_else(not_yet)?;
    let page = edaibiao_infra::PageRequest { first: 1_000, after: None };
    let listed =
        projects::projects_for(store, Some(actor), round.congress_id, Some(round.id), None, page).await?;
    let rating_row = |label: &str, t: &edaibiao_domain::ballot::Tally| {
        vec![
            label.into(),
            u64::from(t.satisfied).into(),
            u64::from(t.basically_satisfied).into(),
            u64::from(t.dissatisfied).into(),
            edaibiao_domain::ballot::satisfaction_rate(t).into(),
        ]
    };
    let mut rows = Vec::new();
    for p in &listed.items {
        rows.push(rating_row(&p.title, p.rating.as_ref().ok_or_else(not_yet)?));
    }
    rows.push(rating_row("总体", &overall));
    Ok(Table {
        file_stem: format!("project-ratings-{year}"),
        title: format!("民生实事项目满意度测评-{year}"),
        header: vec!["项目", "满意", "基本满意", "不满意", "满意率（%）"],
        rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_checked() {
        assert_eq!(parse_file("suggestion-statistics.csv"), Some(("suggestion-statistics", Format::Csv)));
        assert_eq!(parse_file("deputy-statistics.xlsx"), Some(("deputy-statistics", Format::Xlsx)));
        assert_eq!(parse_file("secrets.csv"), None);
        assert_eq!(parse_file("opinion-statistics.pdf"), None);
        assert_eq!(parse_file("opinion-statistics"), None);
    }

    #[test]
    fn csv_cells_never_start_a_formula() {
        let table = Table {
            file_stem: "t".into(),
            title: "t".into(),
            header: vec!["a", "b", "c", "d", "e", "f", "g"],
            rows: vec![vec![
                Cell::from("=1+2"),
                Cell::from("+1+1"),
                Cell::from("-2"),
                Cell::from("@SUM(A1)"),
                Cell::from("\tx"),
                Cell::from("交通"),
                Cell::Number(-3.0),
            ]],
        };
        let bytes = csv_bytes(&table).unwrap_or_default();
        let text = String::from_utf8_lossy(&bytes);
        let row = text.lines().nth(1).unwrap_or_default();
        assert_eq!(row, "'=1+2,'+1+1,'-2,'@SUM(A1),'\tx,交通,-3");
    }

    #[test]
    fn refusals_get_the_status_of_their_code() {
        use edaibiao_domain::DomainError;
        let status = |err: DomainError| api_refusal(err.into()).status().as_u16();
        assert_eq!(status(DomainError::Unauthenticated("x".into())), 401);
        assert_eq!(status(DomainError::forbidden("x")), 403);
        assert_eq!(status(DomainError::NotFound("congress")), 404);
        assert_eq!(status(DomainError::invalid("year", "x")), 400);
        assert_eq!(status(DomainError::conflict("x")), 409);
        let limited = api_refusal(DomainError::RateLimited { retry_after_secs: 42 }.into());
        assert_eq!(limited.status().as_u16(), 429);
        let retry = limited.headers().get(RETRY_AFTER).and_then(|v| v.to_str().ok());
        assert_eq!(retry, Some("42"));
        let internal = api_refusal(ApiError::new(ErrorCode::Internal, "x"));
        assert_eq!(internal.status().as_u16(), 500);
    }

    #[test]
    fn the_readable_name_is_percent_encoded() {
        assert_eq!(percent_encode("统计-2026 a"), "%E7%BB%9F%E8%AE%A1-2026%20a");
        assert_eq!(number_text(3.0), "3");
        assert_eq!(number_text(0.25), "0.25");
    }
}
