//! The server's list of kinds and fields is the client store's list.

use cdesk_core::domain::*;
use cdesk_core::store::tables::{Entity, KINDS};
use cdesk_server::kinds::Kind;

fn columns<E: Entity>() -> (&'static str, Vec<&'static str>) {
    (
        E::KIND,
        E::COLUMNS
            .iter()
            .map(|(c, _)| *c)
            .filter(|c| *c != "id")
            .collect(),
    )
}

#[test]
fn server_kinds_and_fields_match_the_client_store() {
    let client = [
        columns::<Partner>(),
        columns::<Person>(),
        columns::<EnablementItem>(),
        columns::<BusinessPlan>(),
        columns::<Account>(),
        columns::<Opportunity>(),
        columns::<CallNote>(),
        columns::<NextStep>(),
        columns::<NfrRequest>(),
        columns::<Certification>(),
        columns::<TrackRequirement>(),
        columns::<Badge>(),
        columns::<BadgeRequirement>(),
        columns::<R7Threshold>(),
        columns::<ExchangeRate>(),
        columns::<JourneyCapability>(),
        columns::<CurriculumModule>(),
    ];
    assert_eq!(
        client.len(),
        KINDS.len(),
        "every client kind is listed here"
    );
    for (kind, fields) in client {
        let server = Kind::parse(kind).unwrap_or_else(|| panic!("the server knows {kind}"));
        assert_eq!(
            server.fields().collect::<Vec<_>>(),
            fields,
            "fields of {kind}"
        );
    }
    assert_eq!(
        Kind::ALL.len(),
        KINDS.len(),
        "the server has no extra kinds"
    );
}
