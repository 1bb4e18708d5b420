--liquibase formatted sql

--changeset etlpool:1
CREATE TABLE shop_customers (id bigint PRIMARY KEY, name text NOT NULL);

--changeset etlpool:2
INSERT INTO shop_customers VALUES (1, 'Ada');
