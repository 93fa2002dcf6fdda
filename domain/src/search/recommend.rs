//! Unit recommendation (承办单位推荐): the units that handled the most similar past suggestions, weighted by
//! how similar each was and how satisfied its deputies were with the answer.

use std::collections::HashMap;
use uuid::Uuid;

/// A past assigned suggestion similar to the one being assigned.
#[derive(Debug, Clone, PartialEq)]
pub struct PastAssignment {
    /// Cosine similarity to the suggestion being assigned, 0 to 1.
    pub similarity: f64,
    pub lead_units: Vec<Uuid>,
    pub co_units: Vec<Uuid>,
    /// Whether the lead deputy was satisfied with the answer (满意), if rated.
    pub satisfied: Option<bool>,
}

/// A proposed unit with its score and the reason shown to staff.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitRecommendation {
    pub unit_id: Uuid,
    /// Proposed as lead (主办) or as co-unit (协办).
    pub lead: bool,
    pub score: f64,
    /// How many of the similar suggestions the unit led (or co-handled, for a co-unit).
    pub similar_count: u32,
    /// Of those the deputies rated, how many were satisfied.
    pub satisfied: u32,
    pub rated: u32,
    /// "3 件相似建议由该单位主办，满意 2 件（共评价 2 件）".
    pub reason: String,
}

/// A rated answer counts this much more (satisfied) or less (not satisfied) than an unrated one.
const SATISFIED_WEIGHT: f64 = 1.25;
const DISSATISFIED_WEIGHT: f64 = 0.5;

#[derive(Default)]
struct Tally {
    score: f64,
    count: u32,
    satisfied: u32,
    rated: u32,
}

/// Proposes at most `leads` lead units and `cos` co-units from `past`: each past suggestion votes for its
/// units with its similarity, times a weight for how its answer was rated. A unit proposed as lead is not
/// proposed again as co-unit. Ties order by unit id, so the result is stable.
pub fn recommend_units(past: &[PastAssignment], leads: usize, cos: usize) -> Vec<UnitRecommendation> {
    let mut lead: HashMap<Uuid, Tally> = HashMap::new();
    let mut co: HashMap<Uuid, Tally> = HashMap::new();
    for p in past {
        let weight = p.similarity
            * match p.satisfied {
                Some(true) => SATISFIED_WEIGHT,
                Some(false) => DISSATISFIED_WEIGHT,
                None => 1.0,
            };
        for (units, tallies) in [(&p.lead_units, &mut lead), (&p.co_units, &mut co)] {
            for unit in units {
                let t = tallies.entry(*unit).or_default();
                t.score += weight;
                t.count += 1;
                if let Some(s) = p.satisfied {
                    t.rated += 1;
                    t.satisfied += u32::from(s);
                }
            }
        }
    }
    let ordered = |tallies: HashMap<Uuid, Tally>| {
        let mut v: Vec<(Uuid, Tally)> = tallies.into_iter().collect();
        v.sort_by(|a, b| b.1.score.total_cmp(&a.1.score).then(a.0.cmp(&b.0)));
        v
    };
    let make = |unit_id: Uuid, t: Tally, is_lead: bool| {
        let role = if is_lead { "主办" } else { "协办" };
        let rating = if t.rated == 0 {
            "尚无评价".to_owned()
        } else {
            format!("满意 {} 件（共评价 {} 件）", t.satisfied, t.rated)
        };
        UnitRecommendation {
            unit_id,
            lead: is_lead,
            score: t.score,
            similar_count: t.count,
            satisfied: t.satisfied,
            rated: t.rated,
            reason: format!("{} 件相似建议由该单位{role}，{rating}", t.count),
        }
    };
    let mut out: Vec<UnitRecommendation> =
        ordered(lead).into_iter().take(leads).map(|(id, t)| make(id, t, true)).collect();
    let chosen: Vec<Uuid> = out.iter().map(|r| r.unit_id).collect();
    out.extend(
        ordered(co)
            .into_iter()
            .filter(|(id, _)| !chosen.contains(id))
            .take(cos)
            .map(|(id, t)| make(id, t, false)),
    );
    out
}
