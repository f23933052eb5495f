-- migrate:up
CREATE TABLE authors (
    id    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name  text NOT NULL
);

CREATE TABLE posts (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    author_id bigint NOT NULL REFERENCES authors (id),
    title     text NOT NULL,
    slug      text,
    body      text NOT NULL DEFAULT ''
);

-- migrate:down
DROP TABLE posts;
DROP TABLE authors;
