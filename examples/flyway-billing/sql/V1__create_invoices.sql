CREATE TABLE accounts (
    id   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL
);

CREATE TABLE invoices (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id bigint NOT NULL,
    amount     numeric(12, 2) NOT NULL,
    issued_on  date NOT NULL DEFAULT current_date
);
