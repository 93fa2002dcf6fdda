use super::*;

const CONGRESS: u128 = 1;
const MEMBER: u128 = 7;
const DEPUTY: u128 = 8;

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 5, d).unwrap_or_default()
}

fn actor(role: Role, congress: Option<u128>, deputy: Option<u128>) -> Actor {
    Actor {
        user_id: Uuid::from_u128(100 + deputy.unwrap_or(0) + role as u128),
        role,
        congress_id: congress.map(Uuid::from_u128),
        unit_id: None,
        deputy_id: deputy.map(Uuid::from_u128),
        station_id: None,
    }
}

fn id(n: u128) -> Uuid {
    Uuid::from_u128(n)
}

#[test]
fn input_is_checked_day_content_and_items() {
    let ok = ContactInput::parse(day(4), ContactMethod::Visit, " 走访了解 ", vec![], day(5));
    assert_eq!(ok.map(|i| i.content), Ok("走访了解".to_owned()));
    assert!(ContactInput::parse(day(5), ContactMethod::Phone, "x", vec![], day(5)).is_ok());
    assert!(matches!(
        ContactInput::parse(day(6), ContactMethod::Phone, "x", vec![], day(5)),
        Err(DomainError::Invalid { field: "contactedOn", .. })
    ));
    assert!(ContactInput::parse(day(4), ContactMethod::Phone, " ", vec![], day(5)).is_err());
    let long = "字".repeat(MAX_CONTENT_CHARS + 1);
    assert!(ContactInput::parse(day(4), ContactMethod::Phone, &long, vec![], day(5)).is_err());
    let item = PassedOn { kind: PassedOnKind::Opinion, id: id(50) };
    assert!(matches!(
        ContactInput::parse(day(4), ContactMethod::Online, "x", vec![item, item], day(5)),
        Err(DomainError::Invalid { field: "passedOn", .. })
    ));
    let many = (0..=MAX_PASSED_ON as u128).map(|n| PassedOn { kind: PassedOnKind::Suggestion, id: id(n) });
    assert!(ContactInput::parse(day(4), ContactMethod::Meeting, "x", many.collect(), day(5)).is_err());
}

#[test]
fn staff_record_for_anyone_a_member_only_for_themselves() {
    let congress = id(CONGRESS);
    let committee = Contactor::Committee(id(30));
    let member = Contactor::Member(id(MEMBER));
    let staff = actor(Role::CongressStaff, Some(CONGRESS), None);
    let admin = actor(Role::Admin, None, None);
    let me = actor(Role::Deputy, Some(CONGRESS), Some(MEMBER));
    for who in [&staff, &admin] {
        assert!(may_record(who, congress, committee).is_ok() && may_record(who, congress, member).is_ok());
    }
    assert!(may_record(&me, congress, member).is_ok());
    assert!(may_record(&me, congress, committee).is_err(), "a member does not record for a committee");
    let refused = [
        actor(Role::Deputy, Some(CONGRESS), Some(DEPUTY)),
        actor(Role::CongressStaff, Some(2), None),
        actor(Role::UnitStaff, Some(CONGRESS), None),
        actor(Role::StationStaff, Some(CONGRESS), None),
        actor(Role::Citizen, None, None),
        // The member's deputy id with another congress's account is not them.
        actor(Role::Deputy, Some(2), Some(MEMBER)),
    ];
    for who in refused {
        assert!(matches!(may_record(&who, congress, member), Err(DomainError::Forbidden(_))), "{who:?}");
    }
    assert!(matches!(check_linked(false), Err(DomainError::Invalid { field: "deputyId", .. })));
}

#[test]
fn a_contact_is_seen_by_staff_the_deputy_and_its_member_only() {
    let c = DeputyContact {
        id: id(500),
        congress_id: id(CONGRESS),
        contactor: Contactor::Member(id(MEMBER)),
        deputy_id: id(DEPUTY),
        contacted_on: day(1),
        method: ContactMethod::Visit,
        content: "x".into(),
        passed_on: vec![],
        recorded_by: id(1),
    };
    for who in [
        actor(Role::CongressStaff, Some(CONGRESS), None),
        actor(Role::Admin, None, None),
        actor(Role::Deputy, Some(CONGRESS), Some(DEPUTY)),
        actor(Role::Deputy, Some(CONGRESS), Some(MEMBER)),
    ] {
        assert!(may_view(&who, &c), "{who:?}");
    }
    for who in [
        actor(Role::Deputy, Some(CONGRESS), Some(9)),
        actor(Role::CongressStaff, Some(2), None),
        actor(Role::UnitStaff, Some(CONGRESS), Some(DEPUTY)),
        actor(Role::Citizen, None, None),
    ] {
        assert!(!may_view(&who, &c), "{who:?}");
    }
    let by_committee = DeputyContact { contactor: Contactor::Committee(id(MEMBER)), ..c };
    assert!(!may_view(&actor(Role::Deputy, Some(CONGRESS), Some(MEMBER)), &by_committee));
}

#[test]
fn coverage_counts_distinct_linked_deputies_and_every_contact() {
    let (committee, member, idle) =
        (Contactor::Committee(id(30)), Contactor::Member(id(MEMBER)), Contactor::Member(id(9)));
    let links = [
        (committee, id(11)),
        (committee, id(12)),
        (member, id(11)),
        (member, id(12)),
        (member, id(13)),
        (idle, id(11)),
    ];
    // The committee reaches both its deputies (one twice); the member two of three, plus one no longer linked.
    let contacts = [
        (committee, id(11)),
        (committee, id(11)),
        (committee, id(12)),
        (member, id(11)),
        (member, id(12)),
        (member, id(14)),
    ];
    let c = coverage(&links, &contacts);
    assert_eq!(c[&committee], Coverage { linked: 2, contacted: 2, contacts: 3 });
    assert!(c[&committee].covered());
    assert_eq!(c[&member], Coverage { linked: 3, contacted: 2, contacts: 3 });
    assert!(!c[&member].covered());
    assert_eq!(c[&idle], Coverage { linked: 1, contacted: 0, contacts: 0 });
    assert!(!c[&idle].covered());
    assert!(!Coverage::default().covered(), "nobody linked is not coverage");
}

#[test]
fn vocabularies_round_trip() {
    for m in ContactMethod::ALL {
        assert_eq!(ContactMethod::parse(m.as_str()), Ok(*m));
    }
    for k in PassedOnKind::ALL {
        assert_eq!(PassedOnKind::parse(k.as_str()), Ok(*k));
    }
    assert!(ContactMethod::parse("LETTER").is_err());
}
