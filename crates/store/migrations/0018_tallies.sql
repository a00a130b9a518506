-- Tallies of every unit by figure and day: its own (for governance: committees begun
-- and ended by cadence, meetings, attendance, decisions adopted, action items by due
-- day) and its subtree's, so a roll-up reads a few rows per unit instead of every
-- record below it. Kept by the write path (a touched unit's own figures are counted
-- again and the difference added up the tree); filled from the records at start-up
-- when empty.
CREATE TABLE unit_tallies (
    unit_id BIGINT NOT NULL REFERENCES units(id),
    figure TEXT NOT NULL,
    day TEXT NOT NULL,
    own BIGINT NOT NULL,
    total BIGINT NOT NULL,
    PRIMARY KEY (unit_id, figure, day)
) {without_rowid};

-- The overdue list walks pending items by due date.
CREATE INDEX action_items_pending ON action_items (due_on, id) WHERE status IN ('open', 'in_progress');
-- A decision's own items (not the parts they were split into) by a column of their
-- own: asked as `decision_id = ? AND parent_id IS NULL`, PostgreSQL expected a large
-- decision's thirty thousand parts and planned for them.
ALTER TABLE action_items ADD COLUMN own_decision_id BIGINT REFERENCES decisions(id);
UPDATE action_items SET own_decision_id = decision_id WHERE parent_id IS NULL;
CREATE INDEX action_items_of_decision ON action_items (own_decision_id);
