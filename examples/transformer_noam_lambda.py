"""A Transformer language model with the "Noam" schedule of Attention Is All You Need, written as a
LambdaLR with a def: linear warm-up for WARMUP_STEPS batches, then inverse-square-root decay.
The scheduler steps every batch, so the x axis is batches."""
import math

import torch
import torch.nn as nn
from torch.optim.lr_scheduler import LambdaLR

D_MODEL = 512
WARMUP_STEPS = 4000
EPOCHS = 20
BATCHES_PER_EPOCH = 500


def noam(step):
    step = max(step, 1)
    return D_MODEL ** -0.5 * min(step ** -0.5, step * WARMUP_STEPS ** -1.5)


class LanguageModel(nn.Module):
    def __init__(self, vocab=32000, d_model=D_MODEL, heads=8, layers=6):
        super().__init__()
        self.embed = nn.Embedding(vocab, d_model)
        layer = nn.TransformerEncoderLayer(d_model, heads, dim_feedforward=4 * d_model, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, layers)
        self.head = nn.Linear(d_model, vocab)
        self.scale = math.sqrt(d_model)

    def forward(self, tokens):
        mask = nn.Transformer.generate_square_subsequent_mask(tokens.size(1))
        return self.head(self.encoder(self.embed(tokens) * self.scale, mask=mask, is_causal=True))


def batches(n, batch_size=32, length=128, vocab=32000):
    for _ in range(n):
        yield torch.randint(0, vocab, (batch_size, length + 1))


def main():
    model = LanguageModel()
    optimizer = torch.optim.Adam(model.parameters(), lr=1.0, betas=(0.9, 0.98), eps=1e-9)
    scheduler = LambdaLR(optimizer, lr_lambda=noam)
    criterion = nn.CrossEntropyLoss()
    for epoch in range(EPOCHS):
        for step in range(BATCHES_PER_EPOCH):
            tokens = next(batches(1))
            logits = model(tokens[:, :-1])
            loss = criterion(logits.reshape(-1, logits.size(-1)), tokens[:, 1:].reshape(-1))
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            scheduler.step()
        print(f"epoch {epoch}: loss {loss.item():.3f}, lr {scheduler.get_last_lr()[0]:.2e}")


if __name__ == "__main__":
    main()
