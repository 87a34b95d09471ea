package org.yolofleet.emr;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.emr.EmrClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.scheduler.SchedulerClient;

import java.net.URI;
import java.util.Optional;

/**
 * The AWS clients the launcher uses, on the JDK's HTTP client, in one region, with the default credential chain or
 * given credentials, optionally all pointed at one endpoint (a local AWS emulator such as moto_server).
 */
public record AwsClients(Region region, AwsCredentialsProvider credentials, Optional<URI> endpoint) {

    /** Clients for the default credential chain in {@code region}. */
    public static AwsClients of(String region, Optional<URI> endpoint) {
        return new AwsClients(Region.of(region), DefaultCredentialsProvider.builder().build(), endpoint);
    }

    public EmrClient emr() {
        var builder = EmrClient.builder().region(region).credentialsProvider(credentials).httpClientBuilder(UrlConnectionHttpClient.builder());
        endpoint.ifPresent(builder::endpointOverride);
        return builder.build();
    }

    public SchedulerClient scheduler() {
        var builder = SchedulerClient.builder().region(region).credentialsProvider(credentials).httpClientBuilder(UrlConnectionHttpClient.builder());
        endpoint.ifPresent(builder::endpointOverride);
        return builder.build();
    }

    public IamClient iam() {
        var builder = IamClient.builder().region(endpoint.isPresent() ? region : Region.AWS_GLOBAL).credentialsProvider(credentials)
                .httpClientBuilder(UrlConnectionHttpClient.builder());
        endpoint.ifPresent(builder::endpointOverride);
        return builder.build();
    }

    public S3Client s3() {
        var builder = S3Client.builder().region(region).credentialsProvider(credentials).httpClientBuilder(UrlConnectionHttpClient.builder())
                .forcePathStyle(endpoint.isPresent());
        endpoint.ifPresent(builder::endpointOverride);
        return builder.build();
    }

}
