CREATE TABLE shop_orders (id bigint PRIMARY KEY, amount numeric(12, 2) NOT NULL);
INSERT INTO shop_orders VALUES (1, 19.99);
