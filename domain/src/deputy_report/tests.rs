use super::*;
use crate::account::Role;
use chrono::TimeZone;

const CONGRESS: u128 = 1;
const DEPUTY: u128 = 7;
const UNIT: u128 = 30;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 5, 1, 2, 0, 0).single().unwrap_or_default()
}

fn actor(role: Role, congress: Option<u128>, deputy: Option<u128>, unit: Option<u128>) -> Actor {
    Actor {
        user_id: Uuid::from_u128(100 + deputy.unwrap_or(0) + unit.unwrap_or(0) + role as u128),
        role,
        congress_id: congress.map(Uuid::from_u128),
        unit_id: unit.map(Uuid::from_u128),
        deputy_id: deputy.map(Uuid::from_u128),
        station_id: None,
    }
}

fn author() -> Actor {
    actor(Role::Deputy, Some(CONGRESS), Some(DEPUTY), None)
}

fn staff() -> Actor {
    actor(Role::CongressStaff, Some(CONGRESS), None, None)
}

fn unit() -> Actor {
    actor(Role::UnitStaff, Some(CONGRESS), None, Some(UNIT))
}

fn input() -> ReportInput {
    ReportInput::parse(
        " 关于老旧小区加装电梯 ",
        "居民反映加装电梯审批慢",
        "东城街道居民十余人反映",
        OpinionCategory::UrbanManagement,
        None,
        Some(" 东城街道 "),
    )
    .unwrap()
}

fn submitted() -> (DeputyReport, Event) {
    let event = DeputyReport::submit(&author(), &input(), None, Uuid::from_u128(500), now()).unwrap();
    (DeputyReport::from_submitted(&event).unwrap(), event)
}

fn forward() -> Command {
    Command::Forward {
        unit_id: Uuid::from_u128(UNIT),
        unit_congress_id: Uuid::from_u128(CONGRESS),
        note: None,
    }
}

fn step(r: &mut DeputyReport, by: &Actor, command: &Command) -> Result<Vec<Event>, DomainError> {
    let events = r.decide(by, command, now())?;
    for e in &events {
        r.apply(e);
    }
    Ok(events)
}

#[test]
fn input_is_trimmed_and_bounded() {
    let i = input();
    assert_eq!((i.title.as_str(), i.place.as_deref()), ("关于老旧小区加装电梯", Some("东城街道")));
    let c = OpinionCategory::Other;
    assert!(ReportInput::parse(" ", "c", "m", c, None, None).is_err());
    assert!(ReportInput::parse("t", "c", " ", c, None, None).is_err());
    assert!(ReportInput::parse("t", &"字".repeat(MAX_CONTENT_CHARS + 1), "m", c, None, None).is_err());
    assert!(ReportInput::parse("t", "c", &"字".repeat(MAX_MATTER_CHARS + 1), c, None, None).is_err());
    assert!(ReportInput::parse("t", "c", "m", c, None, Some(&"地".repeat(MAX_PLACE_CHARS + 1))).is_err());
    assert!(ReportInput::parse("t", "c\u{0}", "m", c, None, None).is_err());
    assert!(ReportInput::parse("t", "c", "m", c, None, Some(" ")).is_ok_and(|i| i.place.is_none()));
}

#[test]
fn only_a_deputy_submits_and_a_station_must_be_of_their_congress() {
    let with_station = ReportInput { station_id: Some(Uuid::from_u128(9)), ..input() };
    for who in [staff(), unit(), actor(Role::Citizen, None, None, None)] {
        assert!(matches!(
            DeputyReport::submit(&who, &input(), None, Uuid::nil(), now()),
            Err(DomainError::Forbidden(_))
        ));
    }
    let other = Some(Uuid::from_u128(2));
    assert!(matches!(
        DeputyReport::submit(&author(), &with_station, other, Uuid::nil(), now()),
        Err(DomainError::Invalid { field: "stationId", .. })
    ));
    assert!(
        DeputyReport::submit(&author(), &with_station, Some(Uuid::from_u128(CONGRESS)), Uuid::nil(), now())
            .is_ok()
    );
}

#[test]
fn the_table_says_who_does_what_from_which_state() {
    use DeputyReportState as S;
    // Every action × every state the report can be in × every party, against the table.
    let paths: Vec<(S, Vec<(Actor, Command)>)> = vec![
        (S::Submitted, vec![]),
        (S::Accepted, vec![(staff(), Command::Accept)]),
        (S::Forwarded, vec![(staff(), Command::Accept), (staff(), forward())]),
        (
            S::Answered,
            vec![
                (staff(), Command::Accept),
                (staff(), forward()),
                (unit(), Command::Answer { text: "已办理".into() }),
            ],
        ),
        (
            S::Compiled,
            vec![(staff(), Command::Accept), (staff(), Command::Compile { note: "编入第3期专报".into() })],
        ),
        (S::Declined, vec![(staff(), Command::Decline { reason: "已有同类".into() })]),
    ];
    let commands = [
        Command::Accept,
        forward(),
        Command::Answer { text: "答复".into() },
        Command::Compile { note: "专报".into() },
        Command::Decline { reason: "理由".into() },
    ];
    for (state, path) in paths {
        let (mut r, _) = submitted();
        for (who, command) in &path {
            step(&mut r, who, command).unwrap();
        }
        assert_eq!(r.state, state);
        for command in &commands {
            for who in [author(), staff(), unit(), actor(Role::Admin, None, None, None)] {
                let party = Party::of(&who, &r);
                let result = r.decide(&who, command, now());
                let action = command.action();
                match result {
                    Ok(_) => assert!(
                        allowed(action, party) && states(action).contains(&state),
                        "{action:?} {party:?} {state:?}"
                    ),
                    Err(DomainError::NotFound(_)) => assert_eq!(party, Party::Outsider),
                    Err(DomainError::Forbidden(_)) => assert!(!allowed(action, party)),
                    Err(DomainError::Conflict(_)) => {
                        assert!(allowed(action, party) && !states(action).contains(&state))
                    }
                    Err(e) => panic!("{e:?}"),
                }
            }
        }
    }
}

#[test]
fn the_unit_sees_a_report_only_once_it_is_forwarded_to_it_and_others_never() {
    let (mut r, _) = submitted();
    assert!(may_view(&author(), &r) && may_view(&staff(), &r));
    assert!(!may_view(&unit(), &r));
    assert!(matches!(
        r.decide(&unit(), &Command::Answer { text: "x".into() }, now()),
        Err(DomainError::NotFound(_))
    ));
    step(&mut r, &staff(), &Command::Accept).unwrap();
    step(&mut r, &staff(), &forward()).unwrap();
    assert!(may_view(&unit(), &r));
    let strangers = [
        actor(Role::Deputy, Some(CONGRESS), Some(8), None),
        actor(Role::CongressStaff, Some(2), None, None),
        actor(Role::UnitStaff, Some(CONGRESS), None, Some(31)),
        actor(Role::Citizen, None, None, None),
        actor(Role::StationStaff, Some(CONGRESS), None, None),
    ];
    for who in strangers {
        assert!(!may_view(&who, &r), "{who:?}");
        assert!(matches!(r.decide(&who, &Command::Accept, now()), Err(DomainError::NotFound(_))));
    }
}

#[test]
fn forwarding_goes_only_to_a_unit_of_the_same_congress() {
    let (mut r, _) = submitted();
    step(&mut r, &staff(), &Command::Accept).unwrap();
    let elsewhere =
        Command::Forward { unit_id: Uuid::from_u128(UNIT), unit_congress_id: Uuid::from_u128(2), note: None };
    assert!(matches!(
        r.decide(&staff(), &elsewhere, now()),
        Err(DomainError::Invalid { field: "unitId", .. })
    ));
}

#[test]
fn a_declined_report_does_not_count_and_every_other_state_does() {
    for s in DeputyReportState::ALL {
        assert_eq!(counts_in_archive(*s), *s != DeputyReportState::Declined);
    }
}

#[test]
fn every_step_tells_the_deputy_and_the_submission_tells_the_staff() {
    let (mut r, submitted_event) = submitted();
    let n = notice_for(&r, &submitted_event);
    assert_eq!(n.audience, vec![Audience::Staff(Uuid::from_u128(CONGRESS))]);
    for (who, command) in
        [(staff(), Command::Accept), (staff(), forward()), (unit(), Command::Answer { text: "a".into() })]
    {
        let events = step(&mut r, &who, &command).unwrap();
        let notice = notice_for(&r, &events[0]);
        assert!(notice.kind.starts_with("DUTY_REPORT_"));
        assert!(notice.audience.contains(&Audience::Deputy(Uuid::from_u128(DEPUTY))), "{notice:?}");
    }
}

proptest::proptest! {
    /// Random steps by random parties keep the report consistent, and replaying the accepted events
    /// rebuilds it exactly.
    #[test]
    fn replaying_the_timeline_rebuilds_the_report(steps in proptest::collection::vec((0usize..4, 0usize..5), 0..12)) {
        let (mut r, first) = submitted();
        let mut timeline = vec![first];
        let parties = [author(), staff(), unit(), actor(Role::CongressStaff, Some(2), None, None)];
        let commands = [
            Command::Accept,
            forward(),
            Command::Answer { text: "答复".into() },
            Command::Compile { note: "专报".into() },
            Command::Decline { reason: "理由".into() },
        ];
        for (p, c) in steps {
            if let Ok(events) = step(&mut r, &parties[p], &commands[c]) {
                timeline.extend(events);
            }
        }
        proptest::prop_assert_eq!(r.version as usize, timeline.len());
        proptest::prop_assert_eq!(DeputyReport::replay(&timeline), Some(r.clone()));
        proptest::prop_assert_eq!(r.state == DeputyReportState::Answered, r.forwarding.as_ref().is_some_and(|f| f.answer.is_some()));
    }
}
