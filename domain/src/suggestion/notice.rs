//! Who hears about what (the notification table of the lifecycle). Each event that concerns someone names
//! its audience; storage turns audiences into accounts and writes the notices in the event's transaction.

use super::aggregate::Suggestion;
use super::event::Event;
use super::visibility::has_public_answer;

pub use crate::notification::Audience;

/// One notice: what happened, in words for the inbox, and to whom.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub kind: &'static str,
    pub title: &'static str,
    pub audience: Vec<Audience>,
}

fn deputies(s: &Suggestion) -> Vec<Audience> {
    std::iter::once(s.lead_deputy_id).chain(s.confirmed_co_signers()).map(Audience::Deputy).collect()
}

fn units(s: &Suggestion, answering_only: bool) -> Vec<Audience> {
    s.assignment
        .iter()
        .flat_map(|a| a.units.iter())
        .filter(|p| !answering_only || p.answers())
        .map(|p| Audience::Unit(p.unit_id))
        .collect()
}

/// `audience`, and the citizens following `s` once it has a public answer: they hear of its public answers,
/// the deputies' ratings of them and any new round of handling (not of steps meant for those who act on
/// it, nor of what was answered in private).
fn followed(s: &Suggestion, mut audience: Vec<Audience>) -> Vec<Audience> {
    if has_public_answer(s) {
        audience.push(Audience::Followers(s.id));
    }
    audience
}

/// The notice an event causes, given the suggestion after the event; `None` when nobody needs telling
/// (drafting steps of the deputy's own, for instance).
pub fn notice_for(s: &Suggestion, event: &Event) -> Option<Notice> {
    let staff = vec![Audience::Staff(s.congress_id)];
    let (kind, title, audience) = match event {
        Event::CoSignerInvited { deputy_id } => {
            ("CO_SIGN_INVITED", "邀请您联名提出建议", vec![Audience::Deputy(*deputy_id)])
        }
        Event::Submitted { .. } => ("SUBMITTED", "新的代表建议待预审", staff),
        Event::ReturnedForRevision { .. } => {
            ("RETURNED_FOR_REVISION", "建议已退回修改", vec![Audience::Deputy(s.lead_deputy_id)])
        }
        Event::Assigned { .. } => {
            let mut audience = deputies(s);
            audience.extend(units(s, false));
            ("ASSIGNED", "建议已交办", audience)
        }
        Event::ReassignmentRequested { .. } => ("REASSIGNMENT_REQUESTED", "承办单位申请改办", staff),
        Event::ReassignmentRejected { .. } => ("REASSIGNMENT_REJECTED", "改办申请未获同意", units(s, false)),
        Event::ExtensionRequested { .. } => ("EXTENSION_REQUESTED", "承办单位申请延期", staff),
        Event::ExtensionResolved { .. } => ("EXTENSION_RESOLVED", "延期申请已处理", units(s, true)),
        Event::Answered { answer, .. } => {
            let audience = if answer.public { followed(s, deputies(s)) } else { deputies(s) };
            ("ANSWERED", "建议已答复", audience)
        }
        Event::Rated { unit_id, official: true, .. } => {
            let audience = vec![Audience::Unit(*unit_id)];
            let public = s
                .assignment
                .as_ref()
                .and_then(|a| a.part(*unit_id))
                .and_then(|p| p.answer.as_ref())
                .is_some_and(|answer| answer.public);
            ("RATED", "代表已评价答复", if public { followed(s, audience) } else { audience })
        }
        Event::Rehandling { unit_id, .. } => (
            "REHANDLING",
            "代表不满意，建议重新办理",
            followed(s, vec![Audience::Unit(*unit_id), Audience::Staff(s.congress_id)]),
        ),
        Event::Flagged { .. } => ("FLAGGED", "重新办理后代表仍不满意", staff),
        Event::ImplementationReported { note, .. } if note.done => {
            ("IMPLEMENTATION_DONE", "承诺事项已办结，请评价结果", vec![Audience::Deputy(s.lead_deputy_id)])
        }
        Event::Supervised { .. } => ("SUPERVISED", "建议列为重点督办", units(s, false)),
        _ => return None,
    };
    (!audience.is_empty()).then_some(Notice { kind, title, audience })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::suggestion::{HandlingMode, HandlingRole, Sitting};
    use chrono::Utc;
    use uuid::Uuid;

    fn assigned() -> Suggestion {
        let created = Event::Created {
            id: Uuid::from_u128(1),
            congress_id: Uuid::from_u128(2),
            sitting: Sitting::Session { number: 1 },
            lead_deputy_id: Uuid::from_u128(3),
            title: "t".into(),
            content: "c".into(),
            category: "k".into(),
            at: Utc::now(),
        };
        let mut s = Suggestion::from_created(&created).expect("created");
        for e in [
            Event::CoSignerInvited { deputy_id: Uuid::from_u128(4) },
            Event::CoSignAnswered { deputy_id: Uuid::from_u128(4), accepted: true },
            Event::CoSignerInvited { deputy_id: Uuid::from_u128(5) },
            Event::Submitted { serial: Some("第1次会议第0001号".into()) },
            Event::Assigned {
                mode: HandlingMode::LeadWithCo,
                units: vec![(Uuid::from_u128(6), HandlingRole::Lead), (Uuid::from_u128(7), HandlingRole::Co)],
                assigned_at: Utc::now(),
                due_at: Utc::now(),
            },
        ] {
            s.apply(&e);
        }
        s
    }

    #[test]
    fn assignment_tells_the_deputies_and_every_unit_but_not_invitees_who_did_not_join() {
        let s = assigned();
        let units = vec![(Uuid::from_u128(6), HandlingRole::Lead), (Uuid::from_u128(7), HandlingRole::Co)];
        let event = Event::Assigned {
            mode: HandlingMode::LeadWithCo,
            units,
            assigned_at: Utc::now(),
            due_at: Utc::now(),
        };
        let notice = notice_for(&s, &event).expect("a notice");
        let expected = [
            Audience::Deputy(Uuid::from_u128(3)),
            Audience::Deputy(Uuid::from_u128(4)),
            Audience::Unit(Uuid::from_u128(6)),
            Audience::Unit(Uuid::from_u128(7)),
        ];
        assert_eq!(notice.audience, expected);
    }

    #[test]
    fn each_step_reaches_the_people_it_concerns() {
        let s = assigned();
        let audience = |e: Event| notice_for(&s, &e).map(|n| n.audience).unwrap_or_default();
        let staff = vec![Audience::Staff(Uuid::from_u128(2))];
        assert_eq!(audience(Event::Submitted { serial: None }), staff);
        assert_eq!(
            audience(Event::ReassignmentRequested {
                unit_id: Uuid::from_u128(7),
                reason: "r".into(),
                at: Utc::now()
            }),
            staff
        );
        assert_eq!(
            audience(Event::ExtensionResolved { approved_due_at: None, reason: None }),
            vec![Audience::Unit(Uuid::from_u128(6))]
        );
        assert_eq!(
            audience(Event::Rehandling { unit_id: Uuid::from_u128(6), due_at: Utc::now() }),
            vec![Audience::Unit(Uuid::from_u128(6)), Audience::Staff(Uuid::from_u128(2))]
        );
        // A deputy's own drafting and a co-signer's private rating tell nobody.
        assert!(
            notice_for(
                &s,
                &Event::DraftEdited { title: "t".into(), content: "c".into(), category: "k".into() }
            )
            .is_none()
        );
    }
}
