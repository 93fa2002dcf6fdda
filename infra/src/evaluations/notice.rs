//! The texts of the evaluation's notices: the feedback notice (履职测评结果反馈通知书) with score, grade,
//! rank and what cost points, and the rectification requirement with its deadline.

use super::query::{StoredCosts, StoredShortfall};
use super::scheme::{ResultCategory, ResultItem};
use crate::Error;
use crate::entity::{duty_evaluation, evaluation_result};
use crate::error::Result;
use chrono::{DateTime, Utc};
use edaibiao_domain::duty::evaluation::{Component, Grade};
use edaibiao_domain::duty::scheme::ItemSource;
use edaibiao_domain::time::CHINA_STANDARD_TIME;

pub(super) fn grade_label(grade: Grade) -> &'static str {
    match grade {
        Grade::Excellent => "优秀",
        Grade::Qualified => "合格",
        Grade::Unqualified => "不合格",
    }
}

fn component_label(component: Component) -> &'static str {
    match component {
        Component::Points => "履职积分",
        Component::VoterRating => "述职测评",
        Component::GroupAssessment => "代表小组评议",
    }
}

/// How many deductions the notice names before summing up the rest.
const NAMED_DEDUCTIONS: usize = 5;

/// The body of the feedback notice of one deputy.
pub(super) fn feedback(
    evaluation: &duty_evaluation::Model,
    r: &evaluation_result::Model,
    categories: &[ResultCategory],
    deputies: usize,
) -> Result<String> {
    let grade = Grade::parse(&r.grade)?;
    if !categories.is_empty() {
        return Ok(by_scheme(evaluation, r, grade, categories, deputies));
    }
    let costs: StoredCosts =
        serde_json::from_str(&r.costs).map_err(|e| Error::Internal(format!("stored costs: {e}")))?;
    let mut text = format!(
        "{}年度履职测评结果：综合得分{:.2}分，等级{}，在{}名代表中排第{}名。",
        evaluation.year,
        r.combined,
        grade_label(grade),
        deputies,
        r.congress_rank
    );
    text.push_str(&format!(
        "其中履职积分{}分（折合{:.2}分，权重{}%），",
        r.points_total, r.points_score, evaluation.weight_points
    ));
    if r.no_voter_rating {
        text.push_str(&format!(
            "述职测评0分（本年度未开展述职或无选民测评，按0分计，权重{}%），",
            evaluation.weight_voter_rating
        ));
    } else {
        text.push_str(&format!(
            "述职测评{:.2}分（满意{}、基本满意{}、不满意{}，权重{}%），",
            r.voter_rating_score,
            r.voters_satisfied,
            r.voters_basically_satisfied,
            r.voters_dissatisfied,
            evaluation.weight_voter_rating
        ));
    }
    text.push_str(&format!(
        "代表小组评议{:.2}分（权重{}%）。",
        r.group_assessment_score, evaluation.weight_group_assessment
    ));
    if !costs.shortfalls.is_empty() {
        let parts: Vec<String> = costs
            .shortfalls
            .iter()
            .map(|StoredShortfall { component, lost }| {
                format!("{}失{lost:.2}分", component_label(*component))
            })
            .collect();
        text.push_str(&format!("失分情况：{}。", parts.join("，")));
    }
    if !costs.deductions.is_empty() {
        let named: Vec<String> = costs
            .deductions
            .iter()
            .take(NAMED_DEDUCTIONS)
            .map(|d| {
                let what = if d.note.is_empty() { d.kind.as_str() } else { d.note.as_str() };
                format!("{}{}（{}分）", d.date.format("%m月%d日"), what, d.points)
            })
            .collect();
        let more = costs.deductions.len().saturating_sub(NAMED_DEDUCTIONS);
        let rest = if more > 0 { format!("等{}项", costs.deductions.len()) } else { String::new() };
        text.push_str(&format!("扣分项：{}{rest}。", named.join("；")));
    }
    Ok(text)
}

/// The body of the rectification requirement.
pub(super) fn rectification_required(evaluation: &duty_evaluation::Model, deadline: DateTime<Utc>) -> String {
    let due = deadline.with_timezone(&CHINA_STANDARD_TIME).format("%Y年%m月%d日%H:%M");
    format!(
        "你的{}年度履职测评等级为不合格。请于{due}前在应用中提交整改报告，逾期未交的将安排谈话提醒。",
        evaluation.year
    )
}

/// A figure with at most two decimals, without trailing zeros (6, 4.5, 0.25).
fn figure(x: f64) -> String {
    let text = format!("{x:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

fn item_text(i: &ResultItem) -> String {
    let what = match i.source {
        ItemSource::Kinds => format!("{}次，", i.count),
        ItemSource::Manual if i.count == 0 => "未评分，".to_owned(),
        ItemSource::Manual => "评定，".to_owned(),
        ItemSource::Points => format!("积分{}，", i.count),
        ItemSource::VoterRating if i.count == 0 => "无选民测评，".to_owned(),
        ItemSource::VoterRating => format!("{}人测评，", i.count),
        ItemSource::GroupAssessment => "小组评议，".to_owned(),
    };
    format!("{}（{what}得{}分，上限{}分）", i.name, figure(i.score), figure(i.cap))
}

/// The feedback notice of an evaluation with a scheme: the score and grade, then every category with
/// every item (what was counted, the score, the cap).
fn by_scheme(
    evaluation: &duty_evaluation::Model,
    r: &evaluation_result::Model,
    grade: Grade,
    categories: &[ResultCategory],
    deputies: usize,
) -> String {
    let total: f64 = categories.iter().map(|c| c.score).sum();
    let max: f64 = categories.iter().map(|c| c.max).sum();
    let mut text = format!(
        "{}年度履职测评结果：考评得分{}分（满分{}分），综合得分{:.2}分，等级{}，在{}名代表中排第{}名。各项得分：",
        evaluation.year,
        figure(total),
        figure(max),
        r.combined,
        grade_label(grade),
        deputies,
        r.congress_rank
    );
    let parts: Vec<String> = categories
        .iter()
        .enumerate()
        .map(|(n, c)| {
            let items: Vec<String> = c.items.iter().map(item_text).collect();
            format!(
                "{}、{}{}分（满分{}分）：{}",
                n + 1,
                c.name,
                figure(c.score),
                figure(c.max),
                items.join("；")
            )
        })
        .collect();
    text.push_str(&parts.join("。"));
    text.push('。');
    text
}
