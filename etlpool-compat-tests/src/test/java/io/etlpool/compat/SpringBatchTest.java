package io.etlpool.compat;

import io.etlpool.testing.PostgresTest;
import io.etlpool.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.Job;
import org.springframework.batch.core.Step;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.item.ItemProcessor;
import org.springframework.batch.item.database.builder.JdbcBatchItemWriterBuilder;
import org.springframework.batch.item.support.ListItemReader;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

import javax.sql.DataSource;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Spring Batch chunk job on etlpool: its JobRepository tables created by Spring Boot, 95 items in
 * chunks of 10, each chunk one transaction through the pool. A job that fails in its sixth chunk keeps
 * the five committed chunks and none of the sixth.
 */
@PostgresTest
class SpringBatchTest {

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {
        @Bean
        Step copy(JobRepository repository, PlatformTransactionManager tm, DataSource ds,
                  @Value("${compat.fail-at:0}") int failAt) {
            ItemProcessor<Integer, Integer> processor = item -> {
                if (item == failAt) {
                    throw new IllegalStateException("item " + item + " fails");
                }
                return item;
            };
            return new StepBuilder("copy", repository).<Integer, Integer>chunk(10, tm)
                    .reader(new ListItemReader<>(IntStream.rangeClosed(1, 95).boxed().collect(Collectors.toList())))
                    .processor(processor)
                    .writer(new JdbcBatchItemWriterBuilder<Integer>().dataSource(ds)
                            .sql("INSERT INTO batch_target (id) VALUES (?)")
                            .itemPreparedStatementSetter((item, ps) -> ps.setInt(1, item)).build())
                    .build();
        }

        @Bean
        Job load(JobRepository repository, Step copy) {
            return new JobBuilder("load", repository).start(copy).build();
        }
    }

    private static ConfigurableApplicationContext run(TestDatabase db, String... more) {
        String[] props = new String[more.length + 2];
        props[0] = "spring.batch.jdbc.initialize-schema=always";
        props[1] = "spring.batch.job.enabled=true"; // Spring Boot runs the job at start-up
        System.arraycopy(more, 0, props, 2, more.length);
        return Apps.start(App.class, db, WebApplicationType.NONE, props);
    }

    @Test
    void aChunkJobRunsToTheEndWithItsJobRepositoryOnThePool(TestDatabase db) throws Exception {
        Apps.execute(db, "CREATE TABLE batch_target (id int PRIMARY KEY)");
        try (ConfigurableApplicationContext ignored = run(db)) {
            assertThat(Apps.query(db, "SELECT count(*) FROM batch_target")).isEqualTo(95L);
            assertThat(Apps.query(db, "SELECT status FROM batch_job_execution")).isEqualTo("COMPLETED");
            assertThat(Apps.query(db, "SELECT commit_count FROM batch_step_execution")).isEqualTo(10L);
        }
    }

    @Test
    void aFailingChunkIsRolledBackAndTheCommittedOnesStay(TestDatabase db) throws Exception {
        Apps.execute(db, "CREATE TABLE batch_target (id int PRIMARY KEY)");
        try (ConfigurableApplicationContext ignored = run(db, "compat.fail-at=57")) {
            assertThat(Apps.query(db, "SELECT status FROM batch_job_execution")).isEqualTo("FAILED");
            assertThat(Apps.query(db, "SELECT count(*) FROM batch_target")).isEqualTo(50L);
            assertThat(Apps.query(db, "SELECT max(id) FROM batch_target")).isEqualTo(50);
        }
    }
}
