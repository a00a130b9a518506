-- Courses: free skills courses for workers and training camps for cadres, held by a
-- unit, with what completing them asks (a share of the sessions attended, a passed
-- assessment when `assessed`).
CREATE TABLE courses (
    id {id},
    tree_id BIGINT NOT NULL REFERENCES units(id),
    unit_id BIGINT NOT NULL REFERENCES units(id),
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    place TEXT,
    trainer TEXT,
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    min_attendance BIGINT NOT NULL,
    assessed BIGINT NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX courses_by_unit ON courses (unit_id, starts_on);

CREATE TABLE course_sessions (
    id {id},
    course_id BIGINT NOT NULL REFERENCES courses(id),
    day TEXT NOT NULL,
    title TEXT NOT NULL,
    place TEXT,
    trainer TEXT
);
CREATE INDEX course_sessions_by_course ON course_sessions (course_id, day);

-- Who takes a course, how they did, and their certificate once they completed it.
CREATE TABLE course_trainees (
    id {id},
    course_id BIGINT NOT NULL REFERENCES courses(id),
    person_id BIGINT NOT NULL REFERENCES people(id),
    unit_id BIGINT NOT NULL REFERENCES units(id),
    assessment TEXT,
    completed_on TEXT,
    certificate TEXT,
    created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX course_trainees_person ON course_trainees (course_id, person_id);
CREATE INDEX course_trainees_by_person ON course_trainees (person_id);
CREATE UNIQUE INDEX course_certificates ON course_trainees (certificate);

CREATE TABLE course_attendance (
    session_id BIGINT NOT NULL REFERENCES course_sessions(id),
    trainee_id BIGINT NOT NULL REFERENCES course_trainees(id),
    PRIMARY KEY (session_id, trainee_id)
);
