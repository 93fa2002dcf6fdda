use super::*;
use crate::suggestion::Suggestion;
use crate::suggestion::SuggestionState;

fn actor(role: Role, congress: Option<Uuid>, unit: Option<Uuid>, deputy: Option<Uuid>) -> Actor {
    Actor {
        user_id: Uuid::from_u128(99),
        role,
        congress_id: congress,
        unit_id: unit,
        deputy_id: deputy,
        station_id: None,
    }
}

const C: Uuid = Uuid::from_u128(1);
const OTHER: Uuid = Uuid::from_u128(2);
const LEAD: Uuid = Uuid::from_u128(3);
const CO: Uuid = Uuid::from_u128(4);
const UNIT: Uuid = Uuid::from_u128(5);

#[test]
fn the_threshold_defaults_by_level_and_is_bounded() {
    assert_eq!(CoSponsorThreshold::default_for(CongressLevel::Township).get(), 5);
    for level in
        [CongressLevel::National, CongressLevel::Provincial, CongressLevel::City, CongressLevel::County]
    {
        assert_eq!(CoSponsorThreshold::default_for(level).get(), 10, "{level:?}");
    }
    assert!(CoSponsorThreshold::parse(0).is_err());
    assert!(CoSponsorThreshold::parse(-3).is_err());
    assert_eq!(CoSponsorThreshold::parse(3).map(CoSponsorThreshold::get), Ok(3));
    assert!(CoSponsorThreshold::parse(101).is_err());
}

#[test]
fn a_bill_is_tabled_only_in_session_and_with_enough_co_sponsors_or_by_a_delegation() {
    let ten = CoSponsorThreshold::default_for(CongressLevel::City);
    // During the recess the draft waits, whoever tables it.
    for by in [TablingBy::Sponsors, TablingBy::Delegation] {
        assert!(matches!(check_tabling(None, 50, ten, by), Err(DomainError::Conflict(_))));
    }
    // One short is refused; the threshold itself is enough.
    assert!(matches!(check_tabling(Some(2), 9, ten, TablingBy::Sponsors), Err(DomainError::Conflict(_))));
    assert_eq!(check_tabling(Some(2), 10, ten, TablingBy::Sponsors), Ok(2));
    // A delegation needs no co-sponsors.
    assert_eq!(check_tabling(Some(2), 0, ten, TablingBy::Delegation), Ok(2));
    let five = CoSponsorThreshold::default_for(CongressLevel::Township);
    assert!(check_tabling(Some(1), 4, five, TablingBy::Sponsors).is_err());
    assert!(check_tabling(Some(1), 5, five, TablingBy::Sponsors).is_ok());
}

#[test]
fn a_delegation_tables_only_for_its_own_member_of_the_same_congress() {
    let group = Uuid::from_u128(9);
    assert!(check_delegation(C, C, group, Some(group)).is_ok());
    assert!(check_delegation(OTHER, C, group, Some(group)).is_err());
    assert!(check_delegation(C, C, group, Some(Uuid::from_u128(10))).is_err());
    assert!(check_delegation(C, C, group, None).is_err());
}

#[test]
fn bill_serials_are_not_suggestion_serials() {
    assert_eq!(serial(2, 3), "第2次会议议案第3号");
    assert_eq!(serial_key(2), "BILL-S2");
    assert_ne!(serial_key(2), Sitting::Session { number: 2 }.key());
}

#[test]
fn standing_follows_the_congress_the_sponsors_and_the_units() {
    let sponsors = [(CO, CoSignStatus::Confirmed), (Uuid::from_u128(6), CoSignStatus::Declined)];
    let of = |a: &Actor| Standing::of(a, C, LEAD, &sponsors, &[UNIT]);
    assert_eq!(of(&actor(Role::CongressStaff, Some(C), None, None)), Standing::Staff);
    assert_eq!(of(&actor(Role::Admin, None, None, None)), Standing::Staff);
    assert_eq!(of(&actor(Role::CongressStaff, Some(OTHER), None, None)), Standing::Outsider);
    assert_eq!(of(&actor(Role::Deputy, Some(C), None, Some(LEAD))), Standing::Lead);
    assert_eq!(
        of(&actor(Role::Deputy, Some(C), None, Some(CO))),
        Standing::CoSponsor(CoSignStatus::Confirmed)
    );
    assert_eq!(
        of(&actor(Role::Deputy, Some(C), None, Some(Uuid::from_u128(6)))),
        Standing::CoSponsor(CoSignStatus::Declined)
    );
    assert_eq!(of(&actor(Role::Deputy, Some(C), None, Some(Uuid::from_u128(7)))), Standing::Outsider);
    // The same deputy id under another congress is nobody here.
    assert_eq!(of(&actor(Role::Deputy, Some(OTHER), None, Some(LEAD))), Standing::Outsider);
    assert_eq!(of(&actor(Role::UnitStaff, Some(C), Some(UNIT), None)), Standing::Unit);
    assert_eq!(of(&actor(Role::UnitStaff, Some(C), Some(Uuid::from_u128(8)), None)), Standing::Outsider);
    assert_eq!(of(&actor(Role::Citizen, None, None, None)), Standing::Outsider);
    assert_eq!(of(&actor(Role::StationStaff, Some(C), None, None)), Standing::Outsider);
}

#[test]
fn drafts_are_the_sponsors_own_and_outsiders_never_see_a_bill() {
    for state in BillState::ALL {
        assert!(visible(Standing::Lead, *state));
        assert!(!visible(Standing::Outsider, *state));
        assert_eq!(visible(Standing::DelegationLeader, *state), *state != BillState::Draft);
        assert!(!visible(Standing::CoSponsor(CoSignStatus::Declined), *state));
        assert!(visible(Standing::CoSponsor(CoSignStatus::Invited), *state));
        assert_eq!(visible(Standing::Staff, *state), *state != BillState::Draft);
    }
}

/// The table, written out once more as the rule reads: who, then which states.
fn expected(action: BillAction, state: BillState, assigned: bool, who: Standing) -> Result<(), &'static str> {
    use BillState::*;
    let person = match action {
        BillAction::Edit | BillAction::InviteCoSponsors | BillAction::Table | BillAction::Rate => {
            who == Standing::Lead
        }
        BillAction::AnswerInvitation => who == Standing::CoSponsor(CoSignStatus::Invited),
        BillAction::ReportFollowUp => who == Standing::Unit || who == Standing::Staff,
        BillAction::TableForDelegation => who == Standing::Staff || who == Standing::DelegationLeader,
        _ => who == Standing::Staff,
    };
    if !person {
        return Err("FORBIDDEN");
    }
    let states: &[BillState] = match action {
        BillAction::Edit
        | BillAction::InviteCoSponsors
        | BillAction::AnswerInvitation
        | BillAction::Table
        | BillAction::TableForDelegation => &[Draft],
        BillAction::Decide => &[Tabled],
        BillAction::Assign => &[OnAgenda, Referred],
        BillAction::InviteLeadSponsor | BillAction::RecordAttendance | BillAction::Review => {
            if assigned {
                &[OnAgenda, Referred]
            } else {
                &[]
            }
        }
        BillAction::ReportFollowUp | BillAction::Supervise => &[Reviewed, FollowUp],
        BillAction::Close => &[FollowUp],
        BillAction::Rate => &[Closed],
    };
    if states.contains(&state) { Ok(()) } else { Err("CONFLICT") }
}

#[test]
fn every_action_state_and_standing_follows_the_table() {
    for action in BillAction::ALL {
        for state in BillState::ALL {
            for assigned in [false, true] {
                for who in Standing::SAMPLES {
                    let got = match decide(action, *state, assigned, who) {
                        Ok(()) => Ok(()),
                        Err(DomainError::Forbidden(_)) => Err("FORBIDDEN"),
                        Err(DomainError::Conflict(_)) => Err("CONFLICT"),
                        Err(other) => panic!("{other:?}"),
                    };
                    assert_eq!(
                        got,
                        expected(action, *state, assigned, who),
                        "{action:?} {state:?} {assigned} {who:?}"
                    );
                }
            }
        }
    }
}

#[test]
fn a_converted_bill_is_never_handled_as_a_bill_again() {
    for action in BillAction::ALL {
        for who in Standing::SAMPLES {
            assert!(decide(action, BillState::Converted, true, who).is_err(), "{action:?} {who:?}");
        }
    }
}

#[test]
fn the_lifecycle_walks_from_draft_to_rated() {
    let mut state = BillState::Draft;
    for (action, who) in [(BillAction::Table, Standing::Lead), (BillAction::Review, Standing::Staff)] {
        if action == BillAction::Review {
            assert!(decide(action, state, true, who).is_err(), "review before the decision");
            state = Disposition::Referred.state();
        }
        decide(action, state, true, who).unwrap();
        state = action.next(state);
    }
    assert_eq!(state, BillState::Reviewed);
    for (action, who) in [
        (BillAction::ReportFollowUp, Standing::Unit),
        (BillAction::Close, Standing::Staff),
        (BillAction::Rate, Standing::Lead),
    ] {
        decide(action, state, true, who).unwrap();
        state = action.next(state);
    }
    assert_eq!(state, BillState::Rated);
}

#[test]
fn only_delegation_tabling_acts_on_an_unseen_draft() {
    for action in BillAction::ALL {
        for who in Standing::SAMPLES {
            let expected = action == BillAction::TableForDelegation
                && matches!(who, Standing::Staff | Standing::DelegationLeader);
            assert_eq!(action.acts_unseen(who), expected, "{action:?} {who:?}");
        }
    }
}

#[test]
fn the_presidium_decides_in_session_and_the_standing_committee_in_recess() {
    assert_eq!(DecidingBody::of(Some(1)), DecidingBody::Presidium);
    assert_eq!(DecidingBody::of(None), DecidingBody::StandingCommittee);
    assert_eq!(Disposition::Converted.state(), BillState::Converted);
    assert_eq!(Disposition::OnAgenda.state(), BillState::OnAgenda);
}

#[test]
fn invitations_are_for_other_deputies_of_the_congress_once_each() {
    let d = Uuid::from_u128(20);
    assert!(check_invitations(C, LEAD, &[], &[(d, C)]).is_ok());
    assert!(matches!(check_invitations(C, LEAD, &[], &[]), Err(DomainError::Invalid { .. })));
    assert!(matches!(check_invitations(C, LEAD, &[], &[(d, OTHER)]), Err(DomainError::Invalid { .. })));
    assert!(matches!(check_invitations(C, LEAD, &[], &[(LEAD, C)]), Err(DomainError::Invalid { .. })));
    assert!(matches!(check_invitations(C, LEAD, &[d], &[(d, C)]), Err(DomainError::Conflict(_))));
    assert!(matches!(check_invitations(C, LEAD, &[], &[(d, C), (d, C)]), Err(DomainError::Conflict(_))));
    let many: Vec<(Uuid, Uuid)> = (100..=300).map(|n| (Uuid::from_u128(n), C)).collect();
    assert!(matches!(check_invitations(C, LEAD, &[], &many), Err(DomainError::Invalid { .. })));
}

#[test]
fn deadlines_lie_ahead_and_on_time_means_closed_by_then() {
    let now = Utc::now();
    assert!(check_deadline(now + chrono::Duration::days(30), now).is_ok());
    assert!(check_deadline(now, now).is_err());
    assert!(check_deadline(now + chrono::Duration::days(800), now).is_err());
    let due = now + chrono::Duration::days(1);
    assert_eq!(on_time(Some(due), Some(now)), Some(true));
    assert_eq!(on_time(Some(now), Some(due)), Some(false));
    assert_eq!(on_time(Some(due), None), None);
    assert_eq!(on_time(None, Some(now)), None);
}

#[test]
fn texts_are_bounded_so_a_conversion_fits_a_suggestion() {
    assert!(BillText::parse("关于制定条例的议案", "案由", "方案").is_ok());
    assert!(BillText::parse("", "案由", "方案").is_err());
    assert!(BillText::parse("题", &"字".repeat(9_001), "方案").is_err());
    assert!(BillText::parse("题", "案由", &"字".repeat(10_001)).is_err());
    let longest = BillText::parse("题", &"字".repeat(9_000), &"字".repeat(10_000)).unwrap();
    let c = Conversion {
        congress_id: C,
        session: 1,
        lead: LEAD,
        co_sponsors: &[],
        title: longest.title.as_str(),
        reason: &longest.reason,
        provisions: &longest.provisions,
    };
    let (events, _) = conversion_events(&c, Uuid::from_u128(50), Utc::now());
    let SuggestionEvent::Created { content, .. } = &events[0] else { panic!("not created") };
    assert!(content.chars().count() <= crate::text::Body::MAX_CHARS);
}

#[test]
fn a_conversion_is_a_proposed_suggestion_of_the_same_sponsors() {
    let co = [CO, Uuid::from_u128(6)];
    let c = Conversion {
        congress_id: C,
        session: 2,
        lead: LEAD,
        co_sponsors: &co,
        title: "关于制定条例的议案",
        reason: "案由",
        provisions: "方案",
    };
    let id = Uuid::from_u128(50);
    let (mut events, submitted) = conversion_events(&c, id, Utc::now());
    events.push(submitted);
    let s = Suggestion::replay(&events).unwrap();
    assert_eq!(s.id, id);
    assert_eq!(s.state, SuggestionState::Proposed);
    assert_eq!(s.lead_deputy_id, LEAD);
    assert_eq!(s.sitting, Sitting::Session { number: 2 });
    assert_eq!(s.confirmed_co_signers().collect::<Vec<_>>(), co.to_vec());
    assert_eq!(s.category, CONVERTED_CATEGORY);
}

#[test]
fn bill_notification_kinds_are_known() {
    for kind in kinds::ALL {
        assert!(crate::notification::NotificationKind::parse(kind).is_ok(), "{kind}");
        assert_ne!(crate::notification::Category::of(kind), crate::notification::Category::Other, "{kind}");
    }
}
