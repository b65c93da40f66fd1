"""ResNet-18 on CIFAR-10 in 30 epochs with the one-cycle policy (super-convergence), stepped every batch.

OneCycleLR must be told how many batches an epoch has: here it is computed from the dataset size.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision
import torchvision.transforms as T
from torch.optim.lr_scheduler import OneCycleLR

EPOCHS = 30
BATCH_SIZE = 512
NUM_TRAIN = 50_000
STEPS_PER_EPOCH = math.ceil(NUM_TRAIN / BATCH_SIZE)
MAX_LR = 0.4
WEIGHT_DECAY = 5e-4 * BATCH_SIZE


def make_loaders(root="./data"):
    mean, std = (0.4914, 0.4822, 0.4465), (0.2470, 0.2435, 0.2616)
    train_tf = T.Compose([T.RandomCrop(32, padding=4), T.RandomHorizontalFlip(), T.ToTensor(), T.Normalize(mean, std)])
    test_tf = T.Compose([T.ToTensor(), T.Normalize(mean, std)])
    train_set = torchvision.datasets.CIFAR10(root, train=True, download=True, transform=train_tf)
    test_set = torchvision.datasets.CIFAR10(root, train=False, download=True, transform=test_tf)
    train_loader = torch.utils.data.DataLoader(train_set, batch_size=BATCH_SIZE, shuffle=True, num_workers=4, drop_last=False)
    test_loader = torch.utils.data.DataLoader(test_set, batch_size=1024, num_workers=4)
    return train_loader, test_loader


def main():
    device = "cuda" if torch.cuda.is_available() else "cpu"
    model = torchvision.models.resnet18(num_classes=10)
    model.conv1 = nn.Conv2d(3, 64, kernel_size=3, stride=1, padding=1, bias=False)
    model.maxpool = nn.Identity()
    model = model.to(device)
    train_loader, test_loader = make_loaders()

    optimizer = torch.optim.SGD(model.parameters(), lr=MAX_LR / 25, momentum=0.9, nesterov=True,
                                weight_decay=WEIGHT_DECAY / BATCH_SIZE)
    scheduler = OneCycleLR(optimizer, max_lr=MAX_LR, epochs=EPOCHS, steps_per_epoch=STEPS_PER_EPOCH,
                           pct_start=0.25, anneal_strategy="linear", div_factor=25.0, final_div_factor=1e4)

    for epoch in range(EPOCHS):
        model.train()
        for step, (images, labels) in enumerate(train_loader):
            images, labels = images.to(device), labels.to(device)
            loss = F.cross_entropy(model(images), labels, label_smoothing=0.1)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            scheduler.step()
            if step % 20 == 0:
                print(f"epoch {epoch} step {step}: loss {loss.item():.3f} lr {scheduler.get_last_lr()[0]:.4f}")

        model.eval()
        correct = 0
        with torch.no_grad():
            for images, labels in test_loader:
                correct += (model(images.to(device)).argmax(1) == labels.to(device)).sum().item()
        print(f"epoch {epoch}: test accuracy {correct / len(test_loader.dataset):.4f}")


if __name__ == "__main__":
    main()
