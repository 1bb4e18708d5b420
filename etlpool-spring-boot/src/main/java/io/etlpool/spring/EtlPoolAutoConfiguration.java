package io.etlpool.spring;

import io.etlpool.EtlPoolDataSource;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import javax.sql.DataSource;

/**
 * Makes etlpool the application's pool: an {@link EtlPoolDataSource} built from
 * {@code spring.datasource.url}, {@code .username}, {@code .password}, {@code .driver-class-name} and
 * {@code .name}, then every {@code spring.datasource.etlpool.*} setting bound to its setters.
 *
 * <p>It runs before Spring Boot's own {@code DataSourceAutoConfiguration} (whose pooled data source then
 * backs off) and steps aside when the application defines its own {@link DataSource} or names another
 * {@code spring.datasource.type}. The Actuator pool metadata ({@code jdbc.connections.*}) and the
 * Micrometer meters ({@code etlpool.connections.*}) come with it when those libraries are present.
 */
@AutoConfiguration(beforeName = {
        "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration", // Spring Boot 3
        "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration" // Spring Boot 4
})
@ConditionalOnClass({DataSource.class, EtlPoolDataSource.class})
@ConditionalOnMissingBean(DataSource.class)
@ConditionalOnProperty(prefix = "spring.datasource", name = "type", havingValue = "io.etlpool.EtlPoolDataSource",
        matchIfMissing = true)
public class EtlPoolAutoConfiguration {

    /** The application's data source; closed with the application context. */
    @Bean(destroyMethod = "close")
    @ConfigurationProperties(prefix = "spring.datasource.etlpool")
    public EtlPoolDataSource dataSource(Environment environment) {
        Binder binder = Binder.get(environment);
        EtlPoolDataSource ds = new EtlPoolDataSource();
        binder.bind("spring.datasource.url", String.class).ifBound(ds::setUrl);
        binder.bind("spring.datasource.username", String.class).ifBound(ds::setUsername);
        binder.bind("spring.datasource.password", String.class).ifBound(ds::setPassword);
        binder.bind("spring.datasource.driver-class-name", String.class).ifBound(ds::setDriverClassName);
        binder.bind("spring.datasource.name", String.class).ifBound(ds::setPoolName);
        return ds;
    }

    /** Actuator's view of the pool: {@code jdbc.connections.active}, {@code .idle}, {@code .max}, {@code .min}. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.jdbc.metadata.DataSourcePoolMetadataProvider")
    static class PoolMetadataConfiguration {

        @Bean
        org.springframework.boot.jdbc.metadata.DataSourcePoolMetadataProvider etlpoolPoolMetadataProvider() {
            return dataSource -> {
                EtlPoolDataSource etlpool = EtlPoolPoolMetadata.unwrap(dataSource);
                return etlpool == null ? null : new EtlPoolPoolMetadata(etlpool);
            };
        }
    }

    /** The pool's {@code etlpool.connections.*} meters in every Micrometer registry of the application. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = {"io.micrometer.core.instrument.MeterRegistry", "io.etlpool.micrometer.EtlPoolMetrics"})
    static class MetricsConfiguration {

        @Bean
        EtlPoolMeterBinder etlpoolMeterBinder(@Qualifier("dataSource") EtlPoolDataSource dataSource) {
            return new EtlPoolMeterBinder(dataSource);
        }
    }
}
