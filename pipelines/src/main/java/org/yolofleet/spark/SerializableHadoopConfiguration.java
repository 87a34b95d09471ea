package org.yolofleet.spark;

import org.apache.hadoop.conf.Configuration;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serial;
import java.io.Serializable;

/** Carries a Hadoop {@link Configuration} (S3 endpoint, credentials provider, ...) to the executors. */
public final class SerializableHadoopConfiguration implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    private transient Configuration configuration;

    public SerializableHadoopConfiguration(Configuration configuration) {
        this.configuration = new Configuration(configuration);
    }

    public Configuration get() {
        return configuration;
    }

    @Serial
    private void writeObject(ObjectOutputStream output) throws IOException {
        output.defaultWriteObject();
        configuration.write(output);
    }

    @Serial
    private void readObject(ObjectInputStream input) throws IOException, ClassNotFoundException {
        input.defaultReadObject();
        configuration = new Configuration(false);
        configuration.readFields(input);
    }
}
