-- People invited to one meeting beyond the committee's roster (a governor's deputy,
-- an employer's representative): named, with their organization and title.
CREATE TABLE meeting_guests (
    id {id},
    meeting_id BIGINT NOT NULL REFERENCES meetings(id),
    name TEXT NOT NULL,
    organization TEXT,
    title TEXT
);
CREATE INDEX meeting_guests_by_meeting ON meeting_guests (meeting_id, id);
