//! Who hears about what in an opinion's loop. Each event that concerns someone names its audience; storage
//! turns audiences into accounts and writes the notices in the event's transaction. Every kind starts with
//! `OPINION_`, so all fall in the OPINION notification category.
//!
//! | event | kind | told |
//! |---|---|---|
//! | submitted (QR code) | OPINION_RECEIVED | the addressed deputy |
//! | submitted (station form) | OPINION_RECEIVED | the station's staff |
//! | accepted | OPINION_ACCEPTED | the citizen's account, if they have one |
//! | forwarded | OPINION_FORWARDED | the unit's staff |
//! | unit replied | OPINION_UNIT_REPLIED | the responsible person |
//! | feedback given | OPINION_FEEDBACK | the citizen's account, if they have one |
//! | rated | OPINION_RATED | the responsible person |
//!
//! Recorded at a reception, an opinion is accepted by the recorder at once and tells nobody. Resolving
//! directly, converting and the timeout tell nobody: the person acting is the one who would be told.

use super::aggregate::Opinion;
use super::event::Event;
use super::kinds::OpinionSource;

pub use crate::notification::Audience;

/// One notice: what happened, in words for the inbox, and to whom.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub kind: &'static str,
    pub title: &'static str,
    pub audience: Vec<Audience>,
}

/// The notice an event causes, given the opinion after the event; `None` when nobody needs telling.
pub fn notice_for(o: &Opinion, event: &Event) -> Option<Notice> {
    let responsible = || o.responsible.iter().map(|r| Audience::Account(r.account_id)).collect::<Vec<_>>();
    let citizen = || o.submitter_account_id.iter().map(|a| Audience::Account(*a)).collect::<Vec<_>>();
    let (kind, title, audience) = match event {
        Event::Submitted { .. } => {
            let audience = match (o.source, o.deputy_id, o.station_id) {
                (OpinionSource::Reception, _, _) => Vec::new(),
                (_, Some(deputy), _) => vec![Audience::Deputy(deputy)],
                (_, None, Some(station)) => vec![Audience::Station(station)],
                (_, None, None) => Vec::new(),
            };
            ("OPINION_RECEIVED", "收到新的群众意见", audience)
        }
        Event::Accepted { .. } => ("OPINION_ACCEPTED", "您反映的意见已受理", citizen()),
        Event::Forwarded { unit_id, .. } => {
            ("OPINION_FORWARDED", "群众意见转交贵单位办理", vec![Audience::Unit(*unit_id)])
        }
        Event::UnitReplied { .. } => ("OPINION_UNIT_REPLIED", "承办单位已回复群众意见", responsible()),
        Event::FeedbackGiven { .. } => ("OPINION_FEEDBACK", "您反映的意见已有答复", citizen()),
        Event::Rated { .. } => ("OPINION_RATED", "群众已评价意见办理结果", responsible()),
        Event::ResolvedDirectly { .. }
        | Event::Converted { .. }
        | Event::ClosedByTimeout { .. }
        | Event::ContactErased { .. } => {
            return None;
        }
    };
    (!audience.is_empty()).then_some(Notice { kind, title, audience })
}
